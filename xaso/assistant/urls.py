from django.urls import URLPattern, URLResolver, path

from xaso.assistant import views

app_name = "assistant"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.chat, name="chat"),
    path("answers/<int:question_id>/feedback/", views.feedback, name="feedback"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps/keyword/", views.add_keyword, name="add_keyword"),
]
