"""Letters of introduction: issued by ILO staff, requested by members, verified by anyone."""

import io

import pypdf
import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import translation

from categories.models import Category
from members import letters
from members.documents import document_pdf
from members.models import CoreGroupRole, IssuedDocument, LetterRequest
from members.parts import home_letter

from ..factories import CoreGroupRoleFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(content):
    """The PDF's text with runs of spaces and line breaks as one space (lines wrap anywhere)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_links(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]


def member_speaking(language, **kwargs):
    owner = UserFactory(preferred_language=language, full_name="Łucja Żółć")
    return MemberFactory(
        owner=owner,
        name="Łódź Навыки Lab",
        country="SN",
        categories=["work-based-learning", "career-guidance"],
        project_title="Apprentissages numériques",
        **kwargs,
    )


@pytest.fixture
def letter(staff_officer):
    member = member_speaking("en", is_top_innovator=True)
    return letters.letter_issue(member=member, by=staff_officer)


# ---- The PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "country", "words"),
    [
        ("en", "Senegal", ["Letter of introduction", "Country", "Member since"]),
        ("fr", "Sénégal", []),
        ("es", "Senegal", []),
    ],
)
def test_the_letter_prints_the_members_facts_in_their_language(
    staff_officer, language, country, words
):
    member = member_speaking(language, is_top_innovator=True)
    sig = Category.objects.get(slug="work-based-learning")
    CoreGroupRoleFactory(member=member, role=CoreGroupRole.Role.SIG_LEAD, category=sig)

    document = letters.letter_issue(member=member, by=staff_officer)
    text = pdf_text(document_pdf(document))

    assert document.language == language
    with translation.override(language):
        categories = [sig.display_name, Category.objects.get(slug="career-guidance").display_name]
        role = str(CoreGroupRole.objects.get(member=member).label)
        top_innovator = translation.gettext("Top Innovator")
    assert "Łódź Навыки Lab" in text  # not Latin-1: the embedded font prints it
    assert country in text
    for name in [*categories, top_innovator, role]:
        assert " ".join(name.split()) in text
    assert "Apprentissages numériques" in text
    assert "Sam Staff" in text  # the issuing officer
    for word in words:
        assert word in text
    assert document.verification_url in text


def test_the_pdf_links_to_its_verification_page(letter):
    content = document_pdf(letter)

    assert pdf_links(content) == [f"https://portal.example.org/letters/{letter.token}/"]


def test_a_letter_is_in_a_working_language_when_the_profile_has_no_owner(staff_officer):
    member = MemberFactory(owner=None, languages=["es"], categories=["work-based-learning"])

    assert letters.letter_issue(member=member, by=staff_officer).language == "es"


def test_only_ilo_staff_issue_letters(core_group_member, innovator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        letters.letter_issue(member=innovator.member, by=core_group_member)
    assert not IssuedDocument.objects.exists()


def test_tokens_are_long_random_and_distinct(letter, staff_officer):
    other = letters.letter_issue(member=letter.member, by=staff_officer)

    assert len(letter.token) >= 32
    assert letter.token != other.token


# ---- Verification and revocation -------------------------------------------------------------


def test_anyone_holding_the_link_sees_that_the_letter_is_valid_and_its_facts(visitor, letter):
    response = visitor.get(reverse("letters:verify", args=[letter.token]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in html
    assert "Łódź Навыки Lab" in html
    assert "Senegal" in html
    assert "Revoked" not in html


def test_an_unknown_token_is_not_found(visitor):
    assert visitor.get(reverse("letters:verify", args=["nope" * 8])).status_code == 404


def test_staff_revoke_a_letter_and_its_page_says_so(client_for, staff_officer, visitor, letter):
    response = client_for(staff_officer).post(
        reverse("letters:revoke", args=[letter.token]), {"reason": "Organization closed"}
    )

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.is_revoked and letter.revoked_by == staff_officer
    html = visitor.get(reverse("letters:verify", args=[letter.token])).content.decode()
    assert "Revoked: this document is no longer valid." in html
    assert "Organization closed" not in html  # the reason stays with staff
    staff_html = client_for(staff_officer).get(letter.get_absolute_url()).content.decode()
    assert "Organization closed" in staff_html


def test_revoking_needs_a_reason(client_for, staff_officer, letter):
    response = client_for(staff_officer).post(
        reverse("letters:revoke", args=[letter.token]), {"reason": "  "}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    letter.refresh_from_db()
    assert not letter.is_revoked


def test_revoking_twice_keeps_the_first_revocation(staff_officer, letter):
    letters.document_revoke(document=letter, by=staff_officer, reason="First")
    letters.document_revoke(document=letter, by=staff_officer, reason="Second")

    letter.refresh_from_db()
    assert letter.revocation_reason == "First"


# ---- Requests from the member's home and answers in the admin --------------------------------


def test_a_member_requests_a_letter_once_until_staff_answer(client_for, innovator):
    client = client_for(innovator)

    client.post(reverse("letters:request"), {"purpose": "For the Skills Fund"})
    response = client.post(reverse("letters:request"), {"purpose": "Again"}, follow=True)

    assert LetterRequest.objects.filter(member=innovator.member).count() == 1
    assert "already waiting" in response.content.decode()
    html = client.get(reverse("letters:mine")).content.decode()
    assert "ILO staff have not answered yet" in html


def test_staff_issue_the_requested_letter_from_the_admin(client_for, innovator, staff_officer):
    letters.letter_request(member=innovator.member, user=innovator, purpose="Funder")
    letter_request = LetterRequest.objects.get()

    response = client_for(staff_officer).post(
        reverse("admin:members_letterrequest_changelist"),
        {"action": "issue_selected", "_selected_action": [letter_request.pk]},
    )

    assert response.status_code == 302
    letter_request.refresh_from_db()
    assert letter_request.status == LetterRequest.Status.ISSUED
    document = letter_request.document
    assert document.member == innovator.member and document.issued_by == staff_officer
    # The member finds it on their letters page and downloads it.
    member_client = client_for(innovator)
    assert document.token in member_client.get(reverse("letters:mine")).content.decode()
    pdf = member_client.get(reverse("letters:pdf", args=[document.token]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Ines Skills Lab" in pdf_text(pdf.content)


def test_staff_issue_a_letter_for_any_member_from_the_member_list(
    client_for, innovator, staff_officer
):
    response = client_for(staff_officer).post(
        reverse("admin:members_member_changelist"),
        {"action": "issue_letters", "_selected_action": [innovator.member.pk]},
    )

    assert response.status_code == 302
    assert IssuedDocument.objects.get().member == innovator.member


def test_core_group_members_cannot_issue_letters_in_the_admin(
    client_for, core_group_member, innovator
):
    response = client_for(core_group_member).post(
        reverse("admin:members_member_changelist"),
        {"action": "issue_letters", "_selected_action": [innovator.member.pk]},
    )

    assert response.status_code in (200, 302)
    assert not IssuedDocument.objects.exists()


def test_staff_decline_a_request_and_the_member_may_ask_again(client_for, innovator, staff_officer):
    letters.letter_request(member=innovator.member, user=innovator)
    client_for(staff_officer).post(
        reverse("admin:members_letterrequest_changelist"),
        {"action": "decline_selected", "_selected_action": [LetterRequest.objects.get().pk]},
    )

    assert LetterRequest.objects.get().status == LetterRequest.Status.DECLINED
    html = client_for(innovator).get(reverse("letters:mine")).content.decode()
    assert "declined your request" in html
    assert 'action="/letters/request/"' in html


def test_the_member_home_block_shows_the_state_of_the_request(rf, innovator, user_without_profile):
    request = rf.get("/")
    request.user = innovator
    assert home_letter(request=request)["letter_request"] is None
    letters.letter_request(member=innovator.member, user=innovator)

    context = home_letter(request=request)

    assert context["letter_request"].status == LetterRequest.Status.PENDING
    assert context["can_request"] is False
    request.user = user_without_profile
    assert home_letter(request=request) is None


def test_the_letters_admin_pages_open_for_staff(client_for, staff_officer, letter):
    client = client_for(staff_officer)
    letters.letter_request(member=letter.member, user=letter.member.owner)
    for url in (
        reverse("admin:members_issueddocument_changelist"),
        reverse("admin:members_issueddocument_change", args=[letter.pk]),
        reverse("admin:members_letterrequest_changelist"),
    ):
        assert client.get(url).status_code == 200
    assert site.is_registered(IssuedDocument)


def test_my_letters_costs_the_same_queries_for_one_or_many_documents(
    client_for, innovator, staff_officer, django_assert_max_num_queries
):
    client = client_for(innovator)
    letters.letter_issue(member=innovator.member, by=staff_officer)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("letters:mine"))
    for _n in range(5):
        letters.letter_issue(member=innovator.member, by=staff_officer)
    with django_assert_max_num_queries(20) as many:
        client.get(reverse("letters:mine"))

    assert len(many.captured_queries) == len(one.captured_queries)


# ---- Every new URL for every persona ---------------------------------------------------------


@pytest.fixture
def innovators_letter(innovator, staff_officer):
    return letters.letter_issue(member=innovator.member, by=staff_officer)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "letters:verify",
            dict.fromkeys(
                ["visitor", "user_without_profile", "innovator", "core_group_member"], 200
            )
            | {"staff_officer": 200},
        ),
        (
            "letters:pdf",
            {
                "visitor": 302,
                "user_without_profile": 403,
                "innovator": 200,  # the letter's member
                "core_group_member": 403,
                "staff_officer": 200,
            },
        ),
    ],
)
def test_who_may_open_a_letter(persona, name, expected, innovators_letter):
    persona_name, _user, client = persona

    response = client.get(reverse(name, args=[innovators_letter.token]))

    assert response.status_code == expected[persona_name]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_who_may_revoke_a_letter(persona, innovators_letter):
    persona_name, _user, client = persona

    response = client.post(
        reverse("letters:revoke", args=[innovators_letter.token]), {"reason": "Closed"}
    )

    expected = {
        "visitor": 302,
        "user_without_profile": 403,
        "innovator": 403,
        "core_group_member": 403,
        "staff_officer": 302,
    }
    assert response.status_code == expected[persona_name]
    innovators_letter.refresh_from_db()
    assert innovators_letter.is_revoked is (persona_name == "staff_officer")


def test_who_may_see_their_letters_and_request_one(persona):
    persona_name, user, client = persona

    page = client.get(reverse("letters:mine"))
    response = client.post(reverse("letters:request"), {"purpose": ""})

    assert page.status_code == (302 if user is None else 200)
    expected = {
        "visitor": 302,
        "user_without_profile": 403,
        "innovator": 302,
        "core_group_member": 302,  # a member too, with a profile
        "staff_officer": 403,  # no profile to introduce
    }
    assert response.status_code == expected[persona_name]
    requested = persona_name in ("innovator", "core_group_member")
    assert LetterRequest.objects.filter(requested_by=user).exists() is requested if user else True


def test_a_sig_lead_of_another_category_cannot_download_or_revoke(client_for, innovators_letter):
    lead = UserFactory()
    member = MemberFactory(owner=lead, categories=["career-guidance"])
    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="career-guidance"),
    )
    client = client_for(lead)

    assert client.get(reverse("letters:verify", args=[innovators_letter.token])).status_code == 200
    assert client.get(reverse("letters:pdf", args=[innovators_letter.token])).status_code == 403
    revoke = reverse("letters:revoke", args=[innovators_letter.token])
    assert client.post(revoke, {"reason": "x"}).status_code == 403


def test_the_member_home_renders_the_letter_block(rf, innovator, staff_officer):
    from network_portal import registry

    letters.letter_issue(member=innovator.member, by=staff_officer)
    request = rf.get("/")
    request.user = innovator

    html = "".join(registry.render(registry.MEMBER_HOME_BLOCKS, request=request))

    assert "Request a letter of introduction" in html
    assert "You hold 1 valid letter." in html
    assert reverse("letters:mine") in html


def test_a_sig_lead_of_another_category_asks_for_their_own_letter_like_any_member(client_for):
    lead = UserFactory()
    member = MemberFactory(owner=lead, categories=["career-guidance"])
    CoreGroupRoleFactory(
        member=member,
        role=CoreGroupRole.Role.SIG_LEAD,
        category=Category.objects.get(slug="career-guidance"),
    )
    client = client_for(lead)

    assert client.get(reverse("letters:mine")).status_code == 200
    assert client.post(reverse("letters:request"), {"purpose": ""}).status_code == 302
    assert LetterRequest.objects.get().member == member
