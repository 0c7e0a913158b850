"""A birth registration from the counter to the citizen's tracking page, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, World
from tests.dossiers.conftest import APPLICANT
from xaso.accounts.models import User
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page: Any) -> None:
    page.click("header form[action$='/logout/'] button")


def test_it_takes_a_birth_registration_from_counter_to_tracking(
    page: Any,
    live_server: Any,
    world: World,
    procedures: dict[str, Procedure],
    justice_officer: User,
    tmp_path: Path,
) -> None:
    base = live_server.url
    # The reception officer takes the dossier at the counter.
    sign_in(page, base, "officer.a")
    page.click("text=Hồ sơ")
    page.click("text=Tiếp nhận hồ sơ tại quầy")
    page.fill("#q", "dang ky khai sinh")
    page.press("#q", "Enter")
    page.click("text=Thủ tục đăng ký khai sinh")
    page.check("#doc-0")
    page.check("#doc-1")
    for field in ("full_name", "id_number", "phone", "email", "address"):
        page.fill(f"#id_{field}", APPLICANT[field])
    page.click("text=Ghi nhận hồ sơ")
    page.wait_for_selector("#status")
    assert page.inner_text("#status") == str(Status.RECEIVED.label)
    dossier = Dossier.objects.get()
    # Slip 01 is a real PDF with the dossier's code in its address.
    href = page.get_attribute("a[href$='/slips/01.pdf']", "href")
    slip = page.request.get(f"{base}{href}")
    assert slip.ok and slip.headers["content-type"] == "application/pdf" and slip.body().startswith(b"%PDF")
    sign_out(page)

    # The justice officer processes it and sends it for signature; the leader signs.
    sign_in(page, base, "justice.a")
    page.goto(f"{base}/dossiers/?queue=to_process")
    page.click(f"text={dossier.code}")
    page.click("button[value=start]")
    page.wait_for_selector("text=Đang giải quyết")
    page.click("button[value=forward]")
    page.wait_for_selector("text=Đã thực hiện")
    sign_out(page)
    sign_in(page, base, "leader.a")
    page.goto(f"{base}/dossiers/?queue=to_sign")
    page.click(f"text={dossier.code}")
    page.click("button[value=approve]")
    page.wait_for_selector("#status:has-text('Đã có kết quả')")
    sign_out(page)

    # The citizen sees each step on the public tracking page.
    page.goto(f"{base}/track/")
    page.fill("#code", dossier.code)
    page.fill("#check", APPLICANT["phone"][-4:])
    page.click("button:has-text('Tra cứu')")
    timeline = page.inner_text("#timeline")
    for step in ("trung tâm đã tiếp nhận", "bắt đầu giải quyết", "đã trình lãnh đạo ký", "lãnh đạo đã ký"):
        assert step in timeline, timeline
    assert page.inner_text("#track-status") == str(Status.DONE.label)
    page.screenshot(path=str(tmp_path / "tracking.png"), full_page=True)
