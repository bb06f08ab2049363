"""The per-pair settings form: reading it, its errors, and saying how settings differ from the defaults."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from starlette.datastructures import FormData

from app.align import Options
from app.services.pairs import DEFAULT_OPTIONS, MIN_SIMILARITY_RANGE


def number(value: float) -> str:
    """A setting as people read it: ``0.3``, not ``0.30000000000000004``.

    >>> number(0.3), number(0.45), number(0.1 + 0.2)
    ('0.3', '0.45', '0.3')
    """
    return f"{round(value, 4):g}"


@dataclass
class SettingsForm:
    """The two settings a reviewer can change, as shown in the form (typed text kept on errors)."""

    min_similarity: str
    quotes_copied: bool
    errors: dict[str, str] = field(default_factory=dict)
    value: float | None = None

    @classmethod
    def from_options(cls, options: Options) -> SettingsForm:
        return cls(number(options.min_similarity), options.quotes_copied, value=options.min_similarity)

    @property
    def low(self) -> str:
        return number(MIN_SIMILARITY_RANGE[0])

    @property
    def high(self) -> str:
        return number(MIN_SIMILARITY_RANGE[1])

    @property
    def default_min_similarity(self) -> str:
        return number(DEFAULT_OPTIONS.min_similarity)

    @property
    def default_quotes_copied(self) -> bool:
        return DEFAULT_OPTIONS.quotes_copied


def read_settings_form(form: FormData) -> SettingsForm:
    """The submitted settings; ``errors`` (keyed by field name) is empty when they can be applied.

    An unticked checkbox sends nothing, so a missing ``quotes_copied`` means "no".
    """
    raw = form.get("min_similarity")
    text = raw.strip() if isinstance(raw, str) else ""
    result = SettingsForm(text, form.get("quotes_copied") in ("1", "on", "true", "yes"))
    low, high = MIN_SIMILARITY_RANGE
    wanted = f"enter a number from {number(low)} to {number(high)}, for example 0.4"
    if not text:
        result.errors["min_similarity"] = f"The field is empty: {wanted}"
        return result
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        result.errors["min_similarity"] = f"“{text[:40]}” is not a number: {wanted}"
        return result
    if not math.isfinite(value) or not low <= value <= high:
        result.errors["min_similarity"] = f"{text[:40]} is out of range: {wanted}"
        return result
    result.value = value
    return result


def describe(options: Options) -> str:
    """The two reviewer settings in a few words, for the folded settings form.

    >>> describe(Options())
    'minimum similarity 0.3 · quotations treated as copied'
    """
    quotes = "treated as copied" if options.quotes_copied else "not treated as copied"
    return f"minimum similarity {number(options.min_similarity)} · quotations {quotes}"


def differences(options: Options) -> list[str]:
    """The reviewer-facing settings of ``options`` that differ from the defaults, in words.

    >>> differences(Options())
    []
    >>> differences(Options(min_similarity=0.5, rescue_similarity=0.367, quotes_copied=False))
    ['minimum similarity 0.5 (default 0.3)', 'quotations not treated as copied (default: treated as copied)']
    """
    out = []
    if options.min_similarity != DEFAULT_OPTIONS.min_similarity:
        out.append(f"minimum similarity {number(options.min_similarity)} "
                   f"(default {number(DEFAULT_OPTIONS.min_similarity)})")
    if options.quotes_copied != DEFAULT_OPTIONS.quotes_copied:
        treated = "treated as copied" if options.quotes_copied else "not treated as copied"
        default = "treated as copied" if DEFAULT_OPTIONS.quotes_copied else "not treated as copied"
        out.append(f"quotations {treated} (default: {default})")
    for name in ("rescue_similarity", "injected_min_words", "edited_min_score"):
        value, default_value = getattr(options, name), getattr(DEFAULT_OPTIONS, name)
        if name == "rescue_similarity" and options.min_similarity != DEFAULT_OPTIONS.min_similarity:
            continue  # follows the minimum similarity
        if value != default_value:
            out.append(f"{name.replace('_', ' ')} {value} (default {default_value})")
    return out
