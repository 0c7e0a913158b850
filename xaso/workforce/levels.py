"""The rule that derives a person's current level in a competency from the evidence.

The level is never typed in; it is always read off the evidence, on a given day:

1. Only evidence that is valid that day counts: dated on or before it, and not past its
   ``valid_until`` (each kind has its validity, ``WorkforceConfig.validity_days``).
2. Of each kind, only the newest piece counts: a newer self-assessment replaces the older
   one, a newer manager assessment the older one, and so on.
3. The level is the highest level shown by the remaining *verified* pieces: a manager
   assessment, a test result, a completed training (post-test passed) or a work record.
   Shown ability is not cancelled by a weaker showing of another kind; it expires.
4. With no verified piece, a self-assessment alone counts, but for at most
   ``self_only_cap`` (level 2 by default): people may say where they stand, but a job
   requirement above that needs someone or something else to confirm it.
5. With no valid evidence at all, the level is 0 (not shown).

The function is pure (no database), so the gap report can apply it to thousands of rows
fetched in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from xaso.workforce.config import WorkforceConfig, workforce_config
from xaso.workforce.models import EvidenceKind

VERIFIED_KINDS = frozenset(
    {EvidenceKind.MANAGER, EvidenceKind.TEST, EvidenceKind.TRAINING, EvidenceKind.WORK}
)


class Piece(NamedTuple):
    """One piece of evidence as the rule needs it (a tuple: the gap report makes tens of thousands)."""

    id: int
    kind: str
    level: int
    observed_on: dt.date
    valid_until: dt.date


@dataclass(frozen=True)
class Derived:
    level: int
    basis: tuple[Piece, ...]  # the pieces that give the level (newest first)
    self_level: int | None  # what the person says, for comparison
    verified: bool  # the level rests on verified evidence


NOTHING = Derived(level=0, basis=(), self_level=None, verified=False)


def valid_on(piece: Piece, on: dt.date) -> bool:
    return piece.observed_on <= on <= piece.valid_until


def derive(pieces: Iterable[Piece], *, on: dt.date, config: WorkforceConfig | None = None) -> Derived:
    config = config or workforce_config()
    newest: dict[str, Piece] = {}
    for piece in pieces:
        if not valid_on(piece, on):
            continue
        kept = newest.get(piece.kind)
        if kept is None or (piece.observed_on, piece.id) > (kept.observed_on, kept.id):
            newest[piece.kind] = piece
    if not newest:
        return NOTHING
    own = newest.get(EvidenceKind.SELF)
    self_level = own.level if own else None
    verified = [p for kind, p in newest.items() if kind in VERIFIED_KINDS]
    if verified:
        top = max(p.level for p in verified)
        basis = tuple(
            sorted((p for p in verified if p.level == top), key=lambda p: p.observed_on, reverse=True)
        )
        return Derived(level=top, basis=basis, self_level=self_level, verified=True)
    assert own is not None
    return Derived(
        level=min(own.level, config.self_only_cap), basis=(own,), self_level=self_level, verified=False
    )
