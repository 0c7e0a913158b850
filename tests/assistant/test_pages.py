"""The chat page (plain form and htmx), the panel on procedure pages, officers' buttons,
and the gaps page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from tests.conftest import World
from xaso.accounts.models import User
from xaso.assistant.models import Feedback, Question
from xaso.audit.models import AuditEvent
from xaso.catalog.models import Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


def test_the_chat_page_works_without_javascript(catalog: list[str]) -> None:
    client = Client()
    page = client.get("/assistant/")
    assert page.status_code == 200 and 'id="question"' in page.content.decode()
    response = client.post("/assistant/", {"question": "dang ky ket hon can giay to gi"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/procedures/1.000894/"' in body and "Thủ tục đăng ký kết hôn" in body
    assert 'name="procedure" value="1.000894"' in body  # a follow-up is about the same procedure
    follow_up = client.post("/assistant/", {"question": "mất bao lâu?", "procedure": "1.000894"})
    assert "1.000894" in follow_up.content.decode()


def test_htmx_gets_only_the_answer(catalog: list[str]) -> None:
    response = Client().post(
        "/assistant/",
        {"question": "dang ky tam tru"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="conversation",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'class="panel answer' in body and 'href="/procedures/1.004194/"' in body
    assert 'hx-swap-oob="true"' in body
    error = Client().post("/assistant/", {"question": ""}, HTTP_HX_REQUEST="true")
    assert error.status_code == 200 and "error-summary" in error.content.decode()


def test_a_bad_question_is_explained_on_the_page(catalog: list[str]) -> None:
    response = Client().post("/assistant/", {"question": "x" * 600})
    assert response.status_code == 422 and "error-summary" in response.content.decode()


def test_officer_mode_and_feedback_buttons_are_for_staff_only(catalog: list[str], world: World) -> None:
    anonymous = Client().post("/assistant/", {"question": "dang ky khai sinh"}).content.decode()
    assert 'name="mode"' not in anonymous and 'value="wrong"' not in anonymous
    refused = Client().post("/assistant/", {"question": "dang ky khai sinh", "mode": "officer"})
    assert refused.status_code == 403
    staff = world.client_for(world.officer_a)
    body = staff.post("/assistant/", {"question": "dang ky khai sinh", "mode": "officer"}).content.decode()
    assert 'value="wrong"' in body
    assert "15:00" in body or "15 giờ" in body  # the 15:00 rule, in the page's language


def test_an_officer_marks_an_answer_and_it_shows_among_the_gaps(catalog: list[str], world: World) -> None:
    staff = world.client_for(world.officer_a)
    staff.post("/assistant/", {"question": "đăng ký kết hôn cần gì", "commune": world.commune_a.code})
    question = Question.objects.get()
    response = staff.post(
        f"/assistant/answers/{question.pk}/feedback/", {"verdict": "wrong"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and Feedback.objects.get().verdict == "wrong"
    Client().post("/assistant/", {"question": "xin cấp giấy phép karaoke"})
    Client().post("/assistant/", {"question": "xin cấp giấy phép karaoke"})
    gaps = staff.get("/assistant/gaps/").content.decode()
    assert gaps.index("karaoke") < gaps.index("đăng ký kết hôn cần gì")  # most frequent first
    # Another province's manager does not see this commune's questions.
    other = world.client_for(world.other_province_manager).get("/assistant/gaps/").content.decode()
    assert "đăng ký kết hôn cần gì" not in other


def test_the_gaps_page_and_feedback_need_a_signed_in_officer(catalog: list[str]) -> None:
    assert Client().get("/assistant/gaps/").status_code == 302
    assert "/login/" in Client().get("/assistant/gaps/")["Location"]
    assert Client().post("/assistant/answers/1/feedback/", {"verdict": "right"}).status_code == 302


def test_the_panel_posts_to_the_assistant_about_its_procedure(catalog: list[str], vietnamese: None) -> None:
    proc = Procedure.objects.get(code="1.004194")
    request = RequestFactory().get("/procedures/1.004194/")
    html = render_to_string("assistant/_panel.html", {"proc": proc}, request=request)
    assert 'action="/assistant/"' in html and 'name="procedure" value="1.004194"' in html
    assert "csrfmiddlewaretoken" in html and 'hx-post="/assistant/"' in html
    answer = (
        Client()
        .post(
            "/assistant/",
            {"question": "mất bao lâu?", "procedure": "1.004194"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="assistant-panel-answer-1004194",
        )
        .content.decode()
    )
    assert "1.004194" in answer and "Thời hạn giải quyết: 3 ngày làm việc" in answer
    assert "hx-swap-oob" not in answer, answer


def test_a_maintainer_teaches_a_gap_as_a_keyword_and_the_assistant_answers(
    catalog: list[str], world: World, maintainer: User
) -> None:
    question = "làm giấy ở nhờ nhà bà con"
    assert Client().post("/assistant/", {"question": question}).context["exchange"]["reply"].abstained
    client = world.client_for(maintainer)
    page = client.get("/assistant/gaps/").content.decode()
    assert question in page and 'action="/assistant/gaps/keyword/"' in page
    response = client.post(
        "/assistant/gaps/keyword/", {"code": "1.004194", "phrase": "  làm giấy   ở nhờ ", "language": "vi"}
    )
    assert response.status_code == 302
    proc = Procedure.objects.get(code="1.004194")
    assert proc.keywords.splitlines()[-1] == "làm giấy ở nhờ" and proc.version == 2
    assert ProcedureVersion.objects.get(procedure=proc).changed_fields == ["keywords"]
    assert AuditEvent.objects.filter(action="procedure.edited", actor=maintainer).exists()
    reply = Client().post("/assistant/", {"question": question}).context["exchange"]["reply"]
    assert not reply.abstained and reply.top_code == "1.004194"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"code": "1.004194", "phrase": " "}, "phrase", "Hãy nhập từ khóa"),
        ({"code": "1.004194", "phrase": "x" * 81}, "phrase", "quá dài (81 ký tự, tối đa 80)"),
        (
            {"code": "9.999999", "phrase": "làm giấy ở nhờ"},
            "code",
            "Không có thủ tục đang áp dụng nào mang mã",
        ),
        ({"code": "1.004194", "phrase": "Đăng ký tạm trú"}, "phrase", "đã là từ khóa của thủ tục"),
    ],
)
def test_a_bad_keyword_is_explained_and_what_was_typed_is_kept(
    catalog: list[str], world: World, maintainer: User, form: dict[str, str], field: str, message: str
) -> None:
    proc = Procedure.objects.get(code="1.004194")
    if field == "phrase" and "đã là" in message:
        proc.keywords = "đăng ký tạm trú"
        proc.save(update_fields=["keywords"])
    before = proc.keywords
    Client().post("/assistant/", {"question": "làm giấy ở nhờ"})  # a gap, so the page has a row
    gap = Question.objects.get().key
    response = world.client_for(maintainer).post(
        "/assistant/gaps/keyword/", {**form, "gap": gap, "language": "vi"}
    )
    body = response.content.decode()
    assert response.status_code == 422 and "error-summary" in body and message in body
    assert f'value="{form["code"]}"' in body  # what was typed is still in the form
    proc.refresh_from_db()
    assert proc.keywords == before and proc.version == 1


def test_only_a_catalog_maintainer_may_add_keywords(catalog: list[str], world: World) -> None:
    for user in (world.officer_a, world.leader_a, world.admin_a, world.province_manager):
        client = world.client_for(user)
        assert 'action="/assistant/gaps/keyword/"' not in client.get("/assistant/gaps/").content.decode()
        refused = client.post("/assistant/gaps/keyword/", {"code": "1.004194", "phrase": "làm giấy ở nhờ"})
        assert refused.status_code == 403
    anonymous = Client().post("/assistant/gaps/keyword/", {"code": "1.004194", "phrase": "làm giấy ở nhờ"})
    assert anonymous.status_code == 302
    assert "làm giấy ở nhờ" not in Procedure.objects.get(code="1.004194").keywords
