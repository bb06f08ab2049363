"""The demo pairs: fictional articles and copies of them that show every kind of reuse.

Each pair is a labelled pair spec in ``app/demo_data/<id>.json`` (the format of
``../shared/tools/FORMAT.md``), so the same files that fill a fresh database also
score the engine: ``python3 ../shared/tools/build.py --pairs app/demo_data``.
The people, places, organisations and web sites in them are invented.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One side of a demo pair, as an editor would submit it."""

    title: str
    text: str
    source_url: str


@dataclass(frozen=True, slots=True)
class DemoPair:
    """A demo pair; ``spec`` names its labelled spec in ``app/demo_data/``."""

    title: str
    original: DemoArticle
    copy: DemoArticle
    spec: str

    @property
    def spec_path(self) -> Path:
        return DEMO_DATA / f"{self.spec}.json"

    def labels(self) -> dict[str, Any]:
        """The hand labels: for every copy paragraph its ``sources``, ``kind`` and ``injected`` text."""
        return read_spec(self.spec)


def read_spec(spec_id: str) -> dict[str, Any]:
    with open(DEMO_DATA / f"{spec_id}.json", encoding="utf-8") as handle:
        return json.load(handle)


def join_paragraphs(paragraphs: list[str]) -> str:
    """A text as the spec format lays it out: paragraphs joined by a blank line, then a newline.

    >>> join_paragraphs(["Headline", "First paragraph."])
    'Headline\\n\\nFirst paragraph.\\n'
    """
    return "\n\n".join(paragraphs) + "\n"


def _pair(spec_id: str, title: str, *, copy_title: str, original_url: str, copy_url: str) -> DemoPair:
    spec = read_spec(spec_id)
    original = join_paragraphs(spec["original"])
    copy = join_paragraphs([paragraph["text"] for paragraph in spec["copy"]])
    return DemoPair(
        title=title,
        original=DemoArticle(spec["original"][0], original, original_url),
        copy=DemoArticle(copy_title, copy, copy_url),
        spec=spec_id,
    )


# Listed in the order the dashboard shows them (newest first, so they are added in reverse).
DEMO_PAIRS: list[DemoPair] = [
    _pair(
        "kestrel-valley-railway",
        "Demo: Kestrel Valley railway, spun by a content farm",
        copy_title="Kestrel Valley railroad set to resume for travellers after 58 years",
        original_url="https://northmoor-gazette.example/transport/kestrel-valley-line-reopens",
        copy_url="https://trendy-news-hub.example/travel/kestrel-valley-railroad-resume",
    ),
    _pair(
        "marrowby-flood-barrier",
        "Demo: Marrowby flood barrier, copied almost word for word",
        copy_title="Marrowby council approves £14.2m flood barrier after ten years of delays",
        original_url="https://tollbridge-courier.example/news/marrowby-flood-barrier-approved",
        copy_url="https://dunmere-daily-buzz.example/local/marrowby-flood-barrier",
    ),
    _pair(
        "saltcombe-cannery",
        "Demo: Saltcombe cannery closure, partly copied by a lifestyle blog",
        copy_title="End of an era as Saltcombe’s sardine cannery shuts its doors after 112 years",
        original_url="https://saltcombe-herald.example/business/penrose-cannery-to-close",
        copy_url="https://coast-and-country-living.example/blog/saltcombe-cannery-shuts",
    ),
]


def demo_corpus_text() -> str:
    """The text of every demo original, one after another, blank lines between them.

    >>> text = demo_corpus_text()
    >>> text.startswith(DEMO_PAIRS[0].original.text) and len(text.split()) > 1000
    True
    """
    return "\n\n".join(pair.original.text.rstrip("\n") for pair in DEMO_PAIRS) + "\n"


def load_demo(session: Session, *, max_bytes: int) -> int:
    """Add the demo pairs that are not in the database yet (matched on their titles); return
    how many were added. Adds and flushes; the caller commits."""
    # Imported here so that `import app.demo` stays light: the benchmark only wants the text.
    from sqlalchemy import select

    from app.models import Pair
    from app.services.pairs import ArticleInput, create_pair

    titles = [pair.title for pair in DEMO_PAIRS]
    present = set(session.scalars(select(Pair.title).where(Pair.title.in_(titles))))
    added = 0
    for pair in reversed(DEMO_PAIRS):
        if pair.title in present:
            continue
        create_pair(
            session,
            ArticleInput(pair.original.title, pair.original.text, pair.original.source_url),
            ArticleInput(pair.copy.title, pair.copy.text, pair.copy.source_url),
            max_bytes=max_bytes,
            title=pair.title,
        )
        added += 1
    return added
