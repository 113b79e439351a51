"""The needs assessment: a member answers (or puts it off), staff and the Core Group read the
aggregated report, and what members offer feeds the matching of similar members."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from connections.models import Neighbour
from connections.similarity import neighbours_rebuild
from members import needs
from members.models import Member, NeedsAnswer, NeedsAssessment, NeedsOption, NeedsQuestion

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


def option(question, slug):
    return NeedsOption.objects.get(question__slug=question, slug=slug)


def answer(member, *choices, time_zone="UTC", text=""):
    """Answer ``member``'s assessment through the service: ``choices`` are "question:option"."""
    questions = {question.slug: question for question in needs.active_questions()}
    answers = {question: ([], "") for question in questions.values()}
    for choice in choices:
        question, slug = choice.split(":")
        answers[questions[question]][0].append(option(question, slug).pk)
    answers[questions["comments"]] = ([], text)
    return needs.needs_assessment_save(
        member=member, by=member.owner, answers=answers, time_zone=time_zone
    )


def _form_data(*choices, time_zone="Africa/Dakar", text=""):
    data = {"time_zone": time_zone, "q_comments": text}
    for choice in choices:
        question, slug = choice.split(":")
        data.setdefault(f"q_{question}", []).append(str(option(question, slug).pk))
    return data


def test_the_first_questions_are_seeded_in_three_languages():
    questions = {question.slug: question for question in needs.active_questions()}
    assert {"needs", "challenges", "topics", "languages", "days", "times", "offers"} <= set(
        questions
    )
    assert all(question.text_fr and question.text_es for question in questions.values())
    # The closed lists map to the categories and the kinds of coaching session.
    assert option("advice", "advice-research-data").category.slug == "research-data"
    assert option("offers", "host").session_kind == "peer-circle"


def test_a_member_answers_in_french_and_can_edit_later(client_for, innovator):
    client = client_for(innovator)
    page = client.get("/members/needs/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "De quel soutien votre projet a-t-il le plus besoin" in page.content.decode()

    response = client.post(
        "/members/needs/",
        _form_data("needs:funding", "topics:budgeting", "days:tuesday", "times:morning", text="Hi"),
    )

    assert response.status_code == 302
    assessment = NeedsAssessment.objects.get(member__owner=innovator)
    assert assessment.answered_at is not None and assessment.time_zone == "Africa/Dakar"
    chosen = NeedsAnswer.objects.get(assessment=assessment, question__slug="needs")
    assert [o.slug for o in chosen.options.all()] == ["funding"]
    first_answered = assessment.answered_at

    client.post("/members/needs/", _form_data("needs:partners"))
    assessment.refresh_from_db()
    chosen = NeedsAnswer.objects.get(assessment=assessment, question__slug="needs")
    assert [o.slug for o in chosen.options.all()] == ["partners"]
    assert assessment.answered_at == first_answered  # the funnel counts the first answer


def test_an_answer_keeps_the_version_of_the_question_it_answered(innovator):
    member = Member.objects.get(owner=innovator)
    answer(member, "needs:funding")
    question = NeedsQuestion.objects.get(slug="needs")
    question.text_en = "What does your project need most right now?"
    question.save()

    stored = NeedsAnswer.objects.get(question=question)
    assert question.version == 2
    assert stored.question_version == 1


def test_the_invitation_can_be_put_off_once_for_seven_days(client_for, innovator):
    client = client_for(innovator)
    member = Member.objects.get(owner=innovator)
    assert 'href="/members/needs/"' in client.get(member.get_absolute_url()).content.decode()
    assert needs.needs_prompt(member)["state"] == "invite"

    client.post("/members/needs/skip/")
    assert needs.needs_prompt(member)["state"] == "answer"

    NeedsAssessment.objects.filter(member=member).update(
        skipped_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    assert needs.needs_prompt(member)["state"] == "invite"  # asked again, once

    client.post("/members/needs/skip/")
    NeedsAssessment.objects.filter(member=member).update(
        skipped_at=timezone.now() - timedelta(days=30)
    )
    assert needs.needs_prompt(member)["state"] == "answer"  # and never pressed again


def test_the_member_home_block_prompts_then_offers_editing(rf, innovator):
    from network_portal import registry

    request = rf.get("/")
    request.user = innovator
    blocks = {
        part.name: context
        for part, context in registry.collect("member-home.blocks", request=request)
    }
    assert blocks["needs-assessment"]["state"] == "invite"

    answer(Member.objects.get(owner=innovator), "needs:funding")
    blocks = {
        part.name: context
        for part, context in registry.collect("member-home.blocks", request=request)
    }
    assert blocks["needs-assessment"]["state"] == "edit"


def _respondent(name, country, *choices, time_zone="UTC"):
    member = MemberFactory(name=name, country=country)
    answer(member, *choices, time_zone=time_zone)
    return member


def test_the_report_counts_by_category_region_topic_and_utc_time(client_for, core_group_member):
    _respondent(
        "Dakar",
        "SN",
        "challenges:measuring-impact",
        "topics:budgeting",
        "days:monday",
        "times:morning",
        time_zone="Africa/Dakar",  # UTC+0: Monday 08:00 UTC
    )
    _respondent(
        "Nairobi",
        "KE",
        "needs:data",
        "challenges:measuring-impact",  # the same category twice counts the member once
        "topics:budgeting",
        "days:monday",
        "times:morning",
        time_zone="Africa/Nairobi",  # UTC+3: Monday 05:00 UTC
    )
    _respondent("Lima", "PE", "topics:presenting", "days:monday", "times:morning", time_zone="UTC")

    report = needs.needs_report()

    assert report["respondents"] == 3
    matrix = {row[0]: row for row in report["tables"]["matrix"]["rows"]}
    research = matrix["Research, data and analysis for skills development"]
    assert research[1] == 2 and research[-1] == 2  # Africa, and all regions
    topics = report["tables"]["topics"]["rows"]
    assert topics[0][:3] == ["Budgeting a project", 2, 2]
    times = {row[0]: row[1] for row in report["tables"]["times"]["rows"]}
    assert times == {"Monday 08:00 UTC": 2, "Monday 05:00 UTC": 1}

    response = client_for(core_group_member).get("/members/needs/report/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Budgeting a project" in page
    # The Core Group sees counts, not who answered what.
    assert "Dakar" not in page and "Individual answers" not in page


def test_the_report_tables_download_as_csv(client_for, staff_officer):
    _respondent("Dakar", "SN", "topics:budgeting", "days:monday", "times:morning")
    response = client_for(staff_officer).get("/members/needs/report/?download=topics")

    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTopic,All regions,Africa")
    assert "Budgeting a project,1,1" in text
    assert client_for(staff_officer).get("/members/needs/report/?download=x").status_code == 404


def test_individual_answers_are_for_ilo_staff_only(client_for, staff_officer, core_group_member):
    _respondent("Dakar", "SN", "needs:funding")
    url = "/admin/members/needsassessment/"
    assert client_for(staff_officer).get(url).status_code == 200
    assert client_for(core_group_member).get(url).status_code == 403
    page = client_for(staff_officer).get("/members/needs/report/").content.decode()
    assert "Individual answers" in page


@pytest.mark.parametrize(
    ("name", "report", "staff_tools"),
    [
        ("visitor", 302, 302),
        ("user_without_profile", 403, 403),
        ("innovator", 403, 403),
        ("core_group_member", 200, 200),
        ("staff_officer", 200, 200),
    ],
)
def test_who_sees_the_report_and_the_staff_tools(request, name, report, staff_tools):
    user = None if name == "visitor" else request.getfixturevalue(name)
    client = Client()
    if user:
        client.force_login(user)
    assert client.get("/members/needs/report/").status_code == report
    assert client.get("/members/staff/").status_code == staff_tools


@pytest.mark.parametrize(
    ("name", "form", "skip"),
    [
        ("visitor", "/accounts/login/", "/accounts/login/"),
        ("user_without_profile", "/members/start/", "/members/start/"),
        ("innovator", None, "/members/"),
        ("core_group_member", None, "/members/"),
        ("staff_officer", "/members/start/", "/members/start/"),
    ],
)
def test_only_a_member_with_a_profile_answers(request, name, form, skip):
    user = None if name == "visitor" else request.getfixturevalue(name)
    client = Client()
    if user:
        client.force_login(user)
    response = client.get("/members/needs/")
    if form is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"].startswith(form)
    response = client.post("/members/needs/skip/")
    assert response.status_code == 302 and response["Location"].startswith(skip)
    assert client.get("/members/needs/skip/").status_code in (302, 405)


def test_needs_meet_offers_as_a_score_only():
    seeker = _respondent("Seeker", "SN", "needs:data", "needs:mentoring")
    advisor = _respondent("Advisor", "KE", "advice:advice-research-data", "offers:mentor")
    half = _respondent("Half", "KE", "offers:mentor")
    other = _respondent("Other", "KE", "advice:advice-entrepreneurship")

    scores = needs.needs_offers_scores(seeker.pk, [advisor.pk, half.pk, other.pk])

    assert scores == {advisor.pk: 1.0, half.pk: 0.5}
    # What the advisor needs was never asked; what the seeker offers is nothing.
    assert needs.needs_offers_scores(advisor.pk, [seeker.pk]) == {}


def test_the_matching_ranks_higher_the_member_who_offers_what_one_needs(client_for):
    def workshop(name):
        return MemberFactory(
            name=name,
            project_title="Apprenticeships for refugees",
            project_summary="Refugees learn a trade as apprentices in small workshops.",
            categories=["work-based-learning"],
            languages=["fr"],
        )

    seeker, plain, advisor = workshop("Seeker"), workshop("Plain"), workshop("Advisor")
    answer(seeker, "needs:data")
    answer(advisor, "advice:advice-research-data")

    neighbours_rebuild(force=True)

    rows = {row.neighbour_id: row for row in Neighbour.objects.filter(member=seeker)}
    assert rows[advisor.pk].score > rows[plain.pk].score
    # The reason shown to others never names a need.
    page = client_for(seeker.owner).get(seeker.get_absolute_url()).content.decode()
    assert "Data and evidence" not in page


def test_a_question_reworded_in_the_admin_is_a_new_version(
    client_for, staff_officer, innovator, core_group_member
):
    member = Member.objects.get(owner=innovator)
    answer(member, "offers:translate")
    question = NeedsQuestion.objects.get(slug="offers")
    options = list(question.options.order_by("position", "slug"))
    data = {
        "slug": question.slug,
        "section": question.section,
        "kind": question.kind,
        "position": question.position,
        "text_en": question.text_en,
        "text_fr": question.text_fr,
        "text_es": question.text_es,
        "is_active": "on",
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": len(options),
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for index, choice in enumerate(options):
        prefix = f"options-{index}-"
        data.update(
            {
                f"{prefix}id": choice.pk,
                f"{prefix}question": question.pk,
                f"{prefix}position": choice.position,
                f"{prefix}slug": choice.slug,
                f"{prefix}label_en": choice.label_en,
                f"{prefix}label_fr": choice.label_fr,
                f"{prefix}label_es": choice.label_es,
                f"{prefix}category": choice.category_id or "",
                f"{prefix}session_kind": choice.session_kind,
                f"{prefix}weekday": "",
                f"{prefix}start_hour": "",
            }
        )
    data["options-3-label_en"] = "Translate documents and sessions"

    response = client_for(staff_officer).post(
        f"/admin/members/needsquestion/{question.pk}/change/", data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.version == 2
    assert NeedsAnswer.objects.get(question=question).question_version == 1
    # The Core Group does not edit the questions.
    assert client_for(core_group_member).get("/admin/members/needsquestion/").status_code == 403


def test_the_report_costs_the_same_queries_for_few_or_many_answers(client_for, staff_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff_officer)
    _respondent("One", "SN", "topics:budgeting", "days:monday", "times:morning")
    client.get("/members/needs/report/")
    with CaptureQueriesContext(connection) as few:
        client.get("/members/needs/report/")
    for n, country in enumerate(["KE", "PE", "FR", "JO", "IN"]):
        _respondent(
            f"R{n}", country, "needs:data", "topics:presenting", "days:friday", "times:evening"
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/members/needs/report/")
    assert len(many) == len(few)
