from django.conf import settings
from django.utils import translation


def remember_signup_language(request, user, **kwargs):
    """A new account writes to its owner in the language they signed up in."""
    language = (translation.get_language() or "").split("-")[0]
    if language in dict(settings.LANGUAGES) and language != user.preferred_language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
