from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xaso.dossiers.models import Channel, Rating


class ApplicantForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    id_number = forms.CharField(
        label=_("Citizen ID number"), max_length=14, help_text=_("12 digits, on the chip-based ID card.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, help_text=_("For messages about the dossier."))
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300)


class CounterIntakeForm(ApplicantForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.IN_PERSON)
    commune = forms.TypedChoiceField(
        label=_("Commune competent to handle it"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave as this commune unless the applicant lives in another commune of the province."),
    )
    processing_days = forms.IntegerField(
        label=_("Processing time in working days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Only when the procedure states no processing time."),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how your dossier was handled?"),
        coerce=int,
        choices=Rating.Score.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
