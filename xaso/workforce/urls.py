from django.urls import URLPattern, URLResolver, path

from xaso.workforce import views

app_name = "workforce"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps.xlsx", views.gaps_xlsx, name="gaps_xlsx"),
    path("gaps.pdf", views.gaps_pdf, name="gaps_pdf"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/assess/", views.assess, name="assess"),
    path("people/<int:person_id>/qualifications/", views.qualification_add, name="qualification_add"),
    path("positions/", views.positions, name="positions"),
    path("positions/adopt/", views.positions_adopt, name="positions_adopt"),
    path("positions/<int:position_id>/", views.position, name="position"),
    path("training/", views.training, name="training"),
    path("training/sessions/<int:session_id>/", views.session, name="session"),
    path("enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:enrolment_id>/result/", views.enrolment_result, name="enrolment_result"),
    path("enrolments/<int:enrolment_id>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("plans/<int:code>/<int:year>/", views.plan, name="plan"),
    path("plans/<int:code>/<int:year>/build/", views.plan_build, name="plan_build"),
    path("tests/", views.tests, name="tests"),
    path("tests/<str:code>/start/", views.selftest_start, name="test_start"),
    path("tests/attempts/<int:attempt_id>/", views.test_attempt, name="test_attempt"),
    path("questions/", views.questions, name="questions"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/compute/", views.evaluations_compute, name="evaluations_compute"),
    path("evaluations/<int:evaluation_id>/", views.evaluation, name="evaluation"),
    path("import/", views.import_staff, name="import_staff"),
]
