"""Workforce fixtures: the shipped framework, A's positions, and the personas placed in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.conftest import World
from tests.dossiers.conftest import justice_officer, procedures  # shared fixtures
from xaso.accounts.models import User
from xaso.workforce import services
from xaso.workforce.models import Competency, Course, Position
from xaso.workforce.seed import shipped_data_load

START = dt.date(2025, 7, 1)


@dataclass
class Staffing:
    world: World
    reception: Position  # TT-TNTKQ of A
    civil: Position  # VP-TPHT of A
    reception_b: Position

    def comp(self, code: str) -> Competency:
        return Competency.objects.get(code=code)

    def course(self, code: str) -> Course:
        return Course.objects.get(code=code)


def place(user: User, position: Position) -> None:
    services.assignment_start(actor=None, person=user, position=position, started_on=START)


@pytest.fixture
def framework(world: World) -> None:
    shipped_data_load(province=world.province)


@pytest.fixture
def staffing(world: World, framework: None) -> Staffing:
    services.positions_adopt_all(actor=None, commune=world.commune_a)
    services.positions_adopt_all(actor=None, commune=world.commune_b)
    a = {p.code: p for p in Position.objects.filter(commune=world.commune_a)}
    b = {p.code: p for p in Position.objects.filter(commune=world.commune_b)}
    place(world.officer_a, a["TT-TNTKQ"])
    place(world.specialist_a, a["VP-TPHT"])
    place(world.head_a, a["TT-PGD"])
    place(world.leader_a, a["LD-CT"])
    place(world.officer_b, b["TT-TNTKQ"])
    return Staffing(world=world, reception=a["TT-TNTKQ"], civil=a["VP-TPHT"], reception_b=b["TT-TNTKQ"])


__all__ = ["justice_officer", "procedures"]
