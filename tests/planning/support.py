"""What the product planning tests share: frozen clocks, quick solver limits, and giving an
officer competency levels. Import the fixtures a module needs into it (and list them in its
``__all__``) so that pytest uses them there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xaso.accounts.models import User
from xaso.planning import rotation_services, services
from xaso.workforce import services as wf
from xaso.workforce.models import Competency, Evidence, EvidenceKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ASSIGNMENT_NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # a Monday
ROTATION_NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def assignment_clock() -> Iterator[None]:
    with time_machine.travel(ASSIGNMENT_NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def quick_assignment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "SOLVE_SECONDS", 0.3)
    monkeypatch.setattr(services, "REPLAN_SECONDS", 0.2)


@pytest.fixture(autouse=True)
def rotation_clock() -> Iterator[None]:
    with time_machine.travel(ROTATION_NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def quick_rotation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rotation_services, "ROTATION_SECONDS", 5.0)


def level(user: User, code: str, value: int) -> None:
    """A manager's assessment of ``code`` at ``value``, valid through the assignment tests' year."""
    Evidence.objects.create(
        user=user,
        competency=Competency.objects.get(code=code),
        kind=EvidenceKind.MANAGER,
        level=value,
        observed_on=dt.date(2026, 1, 5),
        valid_until=dt.date(2027, 1, 5),
    )


def give(user: User, **levels: int) -> None:
    """Competency levels by code with ``_`` for ``.`` (``PRO_CIVIL=3``), through the service."""
    for code, value in levels.items():
        wf.evidence_append(
            person=user,
            competency=Competency.objects.get(code=code.replace("_", ".")),
            kind=EvidenceKind.MANAGER,
            level=value,
            observed_on=dt.date(2026, 10, 1),
            recorded_by=None,
        )
