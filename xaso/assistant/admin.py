from django.contrib import admin

from xaso.assistant.models import Feedback, Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = (
        "created_at",
        "text",
        "mode",
        "decision",
        "top_code",
        "confidence",
        "abstained",
        "commune",
    )
    list_filter = ("mode", "decision", "abstained", "language")
    search_fields = ("text", "key", "top_code")
    readonly_fields = [f.name for f in Question._meta.fields]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin[Feedback]):
    list_display = ("created_at", "question", "officer", "verdict")
    list_filter = ("verdict",)
    raw_id_fields = ("question", "officer")
