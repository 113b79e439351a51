import logging
import zoneinfo

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

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
