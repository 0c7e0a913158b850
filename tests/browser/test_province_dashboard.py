"""The province dashboard in a real browser: sort communes by on-time rate, download the
monthly PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_counter_to_tracking import sign_in
from tests.conftest import World
from xaso.dossiers.models import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_sorts_communes_and_downloads_the_monthly_pdf(
    page: Any,
    live_server: Any,
    world: World,
    october: dict[str, Dossier],
    tmp_path: Path,
) -> None:
    base = live_server.url
    sign_in(page, base, "province.manager")
    page.goto(f"{base}/insights/province/?period=2026-10")
    page.click("#sort-on-time")
    page.wait_for_url("**sort=on_time**")
    names = page.locator("#communes tbody th").all_inner_texts()
    rates = page.locator("#communes tbody td.on-time").all_inner_texts()
    assert names == [world.commune_b.name, world.commune_a.name]  # 100 % before 60 %
    assert rates == ["100%", "60%"]
    page.click("#sort-on-time")  # again: ascending
    page.wait_for_url("**dir=asc**")
    assert page.locator("#communes tbody th").all_inner_texts() == [
        world.commune_a.name,
        world.commune_b.name,
    ]
    with page.expect_download() as info:
        page.click("#report-pdf")
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename == "bao-cao-province-46-2026-10.pdf"
