"""How allauth writes to people: in their own language, greeting them by their display name."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render and send an account email in the recipient's language when they have an account.

        A visitor without one (a reset asked for an unknown address) reads the page's language.
        """
        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        if user is None:
            return super().send_mail(template_prefix, email, {**context, "recipient_name": ""})
        context = {**context, "recipient_name": user.get_short_name()}
        with translation.override(user.preferred_language):
            return super().send_mail(template_prefix, email, context)
