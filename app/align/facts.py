"""Changed facts between a derived block and its source: names, numbers, dates, quotes ..."""

from __future__ import annotations

from app.align.model import Block, Change


def find_changes(original: str, copy: str, block: Block, index: int) -> list[Change]:
    """Every fact that differs between ``block``'s original span and its copy span.

    ``index`` is the block's position in the alignment (stored on each Change).
    """
    return []
