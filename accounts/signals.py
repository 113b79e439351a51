from django.conf import settings
from django.dispatch import Signal
from django.utils import translation


def remember_signup_language(request, user, **kwargs):
    """A new account writes to its owner in the language they signed up in."""
    language = (translation.get_language() or "").split("-")[0]
    if language in dict(settings.LANGUAGES) and language != user.preferred_language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def apply_preferred_language(sender, request, user, **kwargs):
    """On sign-in the pages switch to the language the person chose (the one of their emails).

    The rest of this request is translated at once; ``PreferredLanguageMiddleware`` then sets
    Django's language cookie on the response, as ``django.views.i18n.set_language`` does, so
    ``LocaleMiddleware`` keeps the language on every later request.
    """
    language = getattr(user, "preferred_language", "")
    if request is None or language not in dict(settings.LANGUAGES):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.signed_in_language = language


# Sent by ``accounts.services.account_delete`` inside its transaction, before the user row is
# deleted (and by ``members.services.member_remove`` for a profile without an account, with
# ``user=None``): each app removes or anonymizes what it holds of the person. Receivers take
# ``user`` and ``member`` (either may be None) and return a dict of counts for the deletion log.
account_deleting = Signal()
