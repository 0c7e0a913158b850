"""Two officers at once: one succeeds, the other is told why; concurrent intake never
duplicates a code. Real threads and connections, on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from tests.conftest import World
from tests.dossiers.test_workflow import take
from xaso.accounts.models import User
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, Status
from xaso.dossiers.services import dossier_act
from xaso.lib.errors import Conflict

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start every job at the same moment in its own thread; results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def runner(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_it_lets_one_of_two_officers_win(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    version = d.version
    results = run_together(
        [
            lambda: dossier_act(actor=justice_officer, code=d.code, action="start", expected_version=version),
            lambda: dossier_act(
                actor=world.specialist_a, code=d.code, action="start", expected_version=version
            ),
        ]
    )
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "after you opened it" in losers[0].message
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.status == Status.IN_PROGRESS and fresh.version == version + 1
    assert fresh.events.filter(action="start").count() == 1


def test_it_refuses_the_second_of_two_different_moves(
    world: World, procedures: dict[str, Procedure], justice_officer: User
) -> None:
    d = take(world)
    results = run_together(
        [
            lambda: dossier_act(actor=justice_officer, code=d.code, action="start"),
            lambda: dossier_act(actor=world.officer_a, code=d.code, action="withdraw", reason="Công dân rút"),
        ]
    )
    # Either order ends withdrawn: start then withdraw both succeed; withdraw first makes
    # start a refused move (a withdrawn dossier cannot start).
    assert all(isinstance(r, Dossier | Conflict) for r in results), results
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.status == Status.WITHDRAWN
    moves = list(fresh.events.exclude(action="received").values_list("action", flat=True))
    assert len(moves) == sum(isinstance(r, Dossier) for r in results)
    assert moves[-1] == "withdraw"


def test_it_never_gives_two_dossiers_the_same_code(world: World, procedures: dict[str, Procedure]) -> None:
    results = run_together([lambda: take(world).code for _ in range(8)])
    codes = [r for r in results if isinstance(r, str)]
    assert len(codes) == 8, results
    assert len(set(codes)) == 8
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 9))
