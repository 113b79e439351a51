from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member

from . import services


def _get_suggested_member_for_user(request):
    """The member named by the form's ``member`` if ``request.user`` may see it, else 404."""
    pk = request.POST.get("member", "")
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(Member.objects.visible_to(request.user), pk=int(pk))


@login_required
@require_POST
def suggestion_dismiss(request):
    """Stop suggesting a member to the signed-in user, then go back where they were."""
    member = _get_suggested_member_for_user(request)
    services.suggestion_dismiss(user=request.user, member=member)
    messages.success(
        request, _("%(name)s will not be suggested to you again.") % {"name": member.name}
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("home")
