"""The pages of the needs assessment and the invitations, filled in, are valid HTML."""

import pytest

from members.models import Member
from tests.test_html_validity import nu_errors

from ..factories import ImportedMemberFactory, MemberFactory
from .test_invitations import _invited
from .test_needs import answer

pytestmark = pytest.mark.django_db


def test_filled_in_pages_are_valid_html(client_for, innovator, staff_officer, tmp_path):
    ImportedMemberFactory(name="Atlas", contact_language="fr")
    _member, link = _invited(staff_officer, contact_email="amina@example.org")
    answer(
        MemberFactory(country="SN"),
        "needs:data",
        "topics:budgeting",
        "days:monday",
        "times:morning",
    )
    own = Member.objects.get(owner=innovator)
    visitor, signed_in, staff = client_for(None), client_for(innovator), client_for(staff_officer)
    pages = {
        "own profile, invited to answer": (signed_in, own.get_absolute_url()),
        "needs form": (signed_in, "/members/needs/"),
        "invitations with rows": (staff, "/members/invitations/"),
        "needs report with rows": (staff, "/members/needs/report/"),
        "accept": (visitor, link),
        "accept, signed in": (signed_in, link),
        "unsubscribe": (visitor, "/members/invitations/unsubscribe/x/"),
    }
    html = {name: client.get(path).content.decode() for name, (client, path) in pages.items()}

    assert nu_errors(html, tmp_path) == {name: [] for name in pages}
