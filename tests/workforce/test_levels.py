"""The documented rule that derives the current level from the evidence."""

from __future__ import annotations

import datetime as dt

from xaso.workforce.config import WorkforceConfig
from xaso.workforce.levels import Piece, derive

ON = dt.date(2026, 6, 1)
CONFIG = WorkforceConfig()


def piece(pk: int, kind: str, level: int, observed: str, until: str = "2027-12-31") -> Piece:
    return Piece(pk, kind, level, dt.date.fromisoformat(observed), dt.date.fromisoformat(until))


def test_it_gives_zero_without_evidence() -> None:
    derived = derive([], on=ON, config=CONFIG)
    assert derived.level == 0 and not derived.verified and derived.basis == ()


def test_it_caps_a_self_assessment_alone() -> None:
    derived = derive([piece(1, "self", 6, "2026-01-10")], on=ON, config=CONFIG)
    assert derived.level == 2 and derived.self_level == 6 and not derived.verified


def test_it_takes_the_highest_verified_kind() -> None:
    pieces = [
        piece(1, "self", 5, "2026-01-10"),
        piece(2, "manager", 2, "2026-03-01"),
        piece(3, "test", 4, "2026-02-01"),
    ]
    derived = derive(pieces, on=ON, config=CONFIG)
    assert derived.level == 4 and derived.verified and [p.id for p in derived.basis] == [3]


def test_it_lets_a_newer_piece_of_the_same_kind_replace_an_older_one() -> None:
    pieces = [piece(1, "manager", 4, "2025-09-01"), piece(2, "manager", 2, "2026-03-01")]
    assert derive(pieces, on=ON, config=CONFIG).level == 2


def test_it_ignores_expired_and_future_evidence() -> None:
    pieces = [
        piece(1, "training", 4, "2023-01-01", "2025-12-31"),  # expired
        piece(2, "test", 5, "2026-07-01"),  # after the day asked about
        piece(3, "work_record", 2, "2026-03-31", "2026-10-07"),
    ]
    derived = derive(pieces, on=ON, config=CONFIG)
    assert derived.level == 2 and [p.kind for p in derived.basis] == ["work_record"]


def test_it_honours_a_configured_self_cap() -> None:
    derived = derive([piece(1, "self", 3, "2026-01-10")], on=ON, config=WorkforceConfig(self_only_cap=1))
    assert derived.level == 1
