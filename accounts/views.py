from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import data, services
from .forms import AccountDeleteForm, AccountSettingsForm


@login_required
def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The pages follow the language chosen for emails from the next request on.
        translation.activate(user.preferred_language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("account_settings")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def account_delete(request):
    """Delete my account: a confirmation step, then everything at once (``account_delete``)."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.success(request, _("Your account and your profile were deleted. Goodbye!"))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@never_cache
@login_required
def account_data(request):
    """Download my data: a zip of JSON and CSV files of the signed-in person's own rows."""
    try:
        content = data.account_data_zip(user=request.user)
    except data.DataTooLarge:
        messages.error(
            request,
            _("Your data is too large to download here; write to the ILO team for a copy."),
        )
        return redirect("account_settings")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-portal-data.zip"'
    return response
