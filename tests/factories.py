import base64
import hashlib
import hmac
import struct
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from accounts.middleware import must_use_second_factor
from accounts.models import User
from categories.models import Category
from members.models import CoreGroupRole, Language, Member


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose email address is verified, as allauth requires before sign-in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """ILO staff and superusers get an authenticator app (``TOTP_SECRET``), as the portal
        requires of them; ``second_factor=False`` leaves it out, ``True`` gives it to anyone."""
        if not create or extracted is False:
            return
        if extracted or must_use_second_factor(self):
            give_second_factor(self)


# The authenticator app of test users: tests compute its codes (``totp_code``).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_second_factor(user):
    TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code(secret=TOTP_SECRET, *, at=None):
    """The six digits an authenticator app shows now (RFC 6238, as pyotp computes them)."""
    counter = int((at if at is not None else time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class MemberFactory(factory.django.DjangoModelFactory):
    """A listed, public profile; pass ``categories=["slug", ...]`` and ``languages=["fr"]``."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Innovation Lab {n}")
    kind = Member.Kind.ORGANIZATION
    member_type = Member.Type.TVET
    country = "KE"
    project_title = factory.Sequence(lambda n: f"Project {n}")
    project_summary = "Matching training to the jobs local employers need."
    contact_name = factory.Faker("name")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    contact_phone = "+254 700 000 000"
    status = Member.Status.LISTED
    is_public = True
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.add(*Category.objects.filter(slug__in=extracted))

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.add(*Language.objects.filter(code__in=extracted))


class ImportedMemberFactory(MemberFactory):
    """A profile imported from the call's applicants: no owner yet, members-only."""

    owner = None
    is_public = False
    imported = True


class CoreGroupRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoreGroupRole

    member = factory.SubFactory(MemberFactory)
    role = CoreGroupRole.Role.FACILITATOR
