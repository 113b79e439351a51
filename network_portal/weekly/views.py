from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .forms import WeeklyEmailForm
from .models import WeeklyEmail
from .tokens import setting_for_token


@login_required
def settings_page(request):
    """The signed-in person's weekly email: how often and on which weekday."""
    setting = WeeklyEmail.objects.filter(user=request.user).first()
    initial = {
        "frequency": setting.frequency if setting else WeeklyEmail.Frequency.NEVER,
        "weekday": setting.weekday if setting else WeeklyEmail.Weekday.MONDAY,
    }
    form = WeeklyEmailForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.weekly_email_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your weekly email settings were saved."))
        return redirect("weekly:settings")
    next_at = setting.next_moment() if setting and setting.is_subscribed else None
    return render(
        request, "weekly/settings.html", {"form": form, "setting": setting, "next_at": next_at}
    )


# The token is the proof: mail clients' one-click POST (RFC 8058) carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows one button and changes nothing (mail scanners follow links); POST unsubscribes."""
    setting = setting_for_token(token)
    if setting is None:
        return render(request, "weekly/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.weekly_email_unsubscribe(setting=setting)
        return render(request, "weekly/unsubscribed.html", {"setting": setting})
    return render(request, "weekly/unsubscribe.html", {"setting": setting, "token": token})
