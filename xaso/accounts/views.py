from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xaso.accounts import services
from xaso.accounts.forms import ApiTokenForm, LockoutAuthenticationForm
from xaso.accounts.models import User


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    new_secret = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.api_token_create(user=user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(
        request, "accounts/account.html", {"form": form, "tokens": tokens, "new_secret": new_secret}
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    services.api_token_revoke(user=user, token_id=token_id)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")
