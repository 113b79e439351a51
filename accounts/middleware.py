import logging
import zoneinfo

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

# The permission that makes an account worth two factors: the whole membership, exported.
EXPORT_PERMISSION = "members.export_members"

logger = logging.getLogger(__name__)


class UserTimezoneMiddleware:
    """Show times in the signed-in user's time zone (UTC for visitors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """Set the language cookie chosen at sign-in (``accounts.signals.apply_preferred_language``).

    The cookie is the one ``django.views.i18n.set_language`` writes; the language menu changes it
    again at will.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "signed_in_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


# What the shared cache raises when Redis does not answer.
CACHE_ERRORS = (RedisError,)
RETRY_AFTER_SECONDS = 60


class CacheOutageMiddleware:
    """Without the shared cache, answer 503: never a 500, and never a login without rate limits.

    Sign-in, sign-up and password resets count attempts in the cache (allauth's rate limits),
    as does the API's throttle; if the cache fails, the request is refused, not let through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CACHE_ERRORS):
            return None
        logger.error("The cache does not answer; %s refused with 503", request.path)
        if request.path.startswith("/api/"):
            detail = _("The service is briefly unavailable; try again in a minute.")
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = render(request, "account/unavailable.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def must_use_second_factor(user):
    """ILO staff (and superusers), who can export the whole membership, sign in with two factors.

    Only when ``PORTAL_STAFF_REQUIRE_MFA`` is on. Core Group members reach the admin too
    (``is_staff``) but export nothing; they are offered two-factor sign-in like everyone. The
    permission check reads the user's permission cache, which the staff pages fill anyway.
    """
    if not settings.PORTAL_STAFF_REQUIRE_MFA or not user.is_authenticated or not user.is_staff:
        return False
    return user.has_perm(EXPORT_PERMISSION)


# Set in the session at sign-in (or when the app is set up) for someone with an authenticator
# app, so staff pages do not ask the database on every request; cleared when they remove it.
SECOND_FACTOR_SESSION_KEY = "portal.second_factor"


def remember_second_factor(sender, request=None, user=None, **kwargs):
    """Receiver of ``user_logged_in`` and allauth's ``authenticator_added``."""
    if request is None or not hasattr(request, "session") or user is None:
        return
    if is_mfa_enabled(user, types=[Authenticator.Type.TOTP]):
        request.session[SECOND_FACTOR_SESSION_KEY] = user.pk


def forget_second_factor(sender, request=None, **kwargs):
    """Receiver of allauth's ``authenticator_removed``: check again on the next request."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)


def _has_second_factor(request):
    if request.session.get(SECOND_FACTOR_SESSION_KEY) == request.user.pk:
        return True
    remember_second_factor(None, request=request, user=request.user)
    return request.session.get(SECOND_FACTOR_SESSION_KEY) == request.user.pk


class StaffMFAMiddleware:
    """Send ILO staff without an authenticator app to set one up, before any other page.

    Their account pages stay open (setting up the authenticator, signing out, settings), and so
    do static files and the health check; every other page, the admin and each export included,
    redirects to allauth's "activate TOTP" page until they have one.
    """

    OPEN_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and not request.path.startswith(self.OPEN_PREFIXES)
            and must_use_second_factor(user)
            and not _has_second_factor(request)
        ):
            messages.warning(
                request,
                _("ILO staff sign in with two factors: set up an authenticator app to continue."),
            )
            return redirect_to_login(request.get_full_path(), reverse("mfa_activate_totp"))
        return self.get_response(request)
