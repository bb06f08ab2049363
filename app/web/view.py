"""How the comparison page is being looked at (its query string) and the figures it states."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlencode

from app.align import Summary
from app.web.templating import percent


#: Which rows the page shows: all, those with open notes, those with changed facts.
RowFilter = Literal["all", "open", "facts"]
ROW_FILTERS: dict[str, str] = {
    "all": "All rows",
    "open": "Rows with open notes",
    "facts": "Rows with changed facts",
}


@dataclass(frozen=True, slots=True)
class View:
    """The page's view switches; ``url`` is the address that shows them, so they work as links."""

    hide_verbatim: bool = False
    strip_injected: bool = False
    rows: RowFilter = "all"

    def url(self, pair_id: int, *, anchor: str = "") -> str:
        """The page address for this view (at ``anchor``, an element id, when given).

        >>> View().url(3), View(hide_verbatim=True, strip_injected=True).url(3)
        ('/pairs/3', '/pairs/3?hide_verbatim=1&strip_injected=1')
        >>> View(rows="open").url(3, anchor="block-2")
        '/pairs/3?rows=open#block-2'
        """
        query = urlencode([(name, "1") for name in ("hide_verbatim", "strip_injected")
                           if getattr(self, name)] + ([("rows", self.rows)] if self.rows != "all" else []))
        return f"/pairs/{pair_id}" + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")

    def showing(self, rows: RowFilter) -> View:
        """This view with another row filter.

        >>> View(hide_verbatim=True).showing("facts")
        View(hide_verbatim=True, strip_injected=False, rows='facts')
        """
        return replace(self, rows=rows)

    def toggled(self, *, hide_verbatim: bool = False, strip_injected: bool = False) -> View:
        """This view with the named switches flipped.

        >>> View(hide_verbatim=True).toggled(strip_injected=True)
        View(hide_verbatim=True, strip_injected=True, rows='all')
        """
        return replace(self, hide_verbatim=self.hide_verbatim ^ hide_verbatim,
                       strip_injected=self.strip_injected ^ strip_injected)


@dataclass(frozen=True, slots=True)
class Figures:
    """The headline figures as the page states them.

    ``full`` are the alignment's own; ``stripped`` the same without the injected runs (when that
    view is on); ``defaults`` what the default settings give (only when the pair's settings
    differ, listed in ``differences``), in the same view.
    """

    full: Summary
    stripped: Summary | None = None
    defaults: Summary | None = None
    differences: tuple[str, ...] = ()

    @property
    def shown(self) -> Summary:
        """The figures in the summary bar: stripped ones in the strip-injected view."""
        return self.stripped or self.full

    @property
    def changed_by_settings(self) -> bool:
        """Whether the settings move a figure as the page rounds it.

        >>> Figures(Summary(0.5, 0.5), defaults=Summary(0.5, 0.504)).changed_by_settings
        False
        >>> Figures(Summary(0.5, 0.5), defaults=Summary(0.6, 0.5)).changed_by_settings
        True
        """
        if self.defaults is None:
            return False
        shown = self.shown
        return (percent(shown.original_reused), percent(shown.copy_derived)) != (
            percent(self.defaults.original_reused), percent(self.defaults.copy_derived))
