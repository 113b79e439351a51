"""``seed_demo`` shows a letter of introduction, a request waiting, and a certificate."""

import io

import pytest
from django.core.management import call_command

from members.models import IssuedDocument, LetterRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_letter_a_request_and_a_certificate_once(settings):
    settings.DEBUG = True
    for _run in range(2):
        call_command("seed_demo", stdout=io.StringIO())

    letter = IssuedDocument.objects.get(kind=IssuedDocument.Kind.LETTER)
    assert letter.member.owner.email == "innovator@example.org"
    assert letter.language == "fr" and letter.issued_by_name == "Sam Staff"
    certificate = IssuedDocument.objects.get(kind=IssuedDocument.Kind.CERTIFICATE)
    assert certificate.holder.email == "innovator@example.org"
    assert LetterRequest.objects.get().status == LetterRequest.Status.PENDING
