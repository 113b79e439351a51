"""One admin page for the emails that failed or stalled, whatever app owes them, with a retry."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import delivery

ROWS_PER_KIND = 100


def _delivery_models_for(user):
    """The delivery models whose rows ``user`` may retry: those they may change."""
    return [
        model
        for model in delivery.delivery_models()
        if user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
    ]


def deliveries(request):
    """Failed and stalled emails of every delivery model the user may change; POST retries the
    ticked ones (``retry`` values ``<app.model>:<pk>``)."""
    models = _delivery_models_for(request.user)
    if not models:
        raise PermissionDenied
    if request.method == "POST":
        chosen = {}
        for value in request.POST.getlist("retry"):
            label, _sep, pk = value.rpartition(":")
            if pk.isdigit():
                chosen.setdefault(label, []).append(int(pk))
        retried = sum(
            delivery.retry(delivery.troubled(model.objects.filter(pk__in=chosen[label])))
            for model in models
            if (label := model._meta.label_lower) in chosen
        )
        messages.success(
            request,
            ngettext(
                "%(count)d email will be sent again within minutes.",
                "%(count)d emails will be sent again within minutes.",
                retried,
            )
            % {"count": retried},
        )
        return redirect("admin-deliveries")
    sections = [
        {
            "label": model._meta.label_lower,
            "name": model._meta.verbose_name_plural,
            "rows": list(delivery.troubled(model.objects.order_by("due_at", "pk"))[:ROWS_PER_KIND]),
        }
        for model in models
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Emails that failed or stalled"),
        "sections": sections,
        "stalled_minutes": int(delivery.STALLED_AFTER.total_seconds() // 60),
    }
    return TemplateResponse(request, "admin/deliveries.html", context)
