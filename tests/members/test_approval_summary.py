"""Those who may approve profiles get one summary a day while profiles await approval."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from members import approvals
from members.models import ApprovalSummary, Member
from members.tasks import send_approval_summaries, send_member_notices

from ..factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def pending(name, **fields):
    return MemberFactory(name=name, status=Member.Status.PENDING, **fields)


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def test_each_approver_gets_one_summary_listing_every_waiting_profile(
    core_group_member, staff_officer, innovator
):
    for name in ("Lab one", "Lab two", "Lab three"):
        pending(name)

    send_approval_summaries()

    assert recipients() == sorted([core_group_member.email, staff_officer.email])
    message = next(m for m in mail.outbox if m.to == [core_group_member.email])
    assert message.subject == "3 profiles await your approval"
    for name in ("Lab one", "Lab two", "Lab three"):
        assert name in message.body
    assert "https://portal.example.org/admin/members/member/?status__exact=pending" in message.body
    assert innovator.email not in recipients()


def test_the_summary_goes_once_a_day_however_often_it_runs(core_group_member, time_machine):
    pending("Lab one")

    for _ in range(3):
        send_approval_summaries()
        send_member_notices()
    assert recipients() == [core_group_member.email]

    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    send_approval_summaries()
    send_approval_summaries()
    assert recipients() == [core_group_member.email] * 2


def test_nothing_waiting_means_no_summary(core_group_member, staff_officer):
    MemberFactory(name="Already listed")

    send_approval_summaries()

    assert mail.outbox == []
    assert not ApprovalSummary.objects.exists()


def test_a_summary_owed_but_overtaken_by_the_approvals_is_not_sent(core_group_member):
    member = pending("Lab one")
    approvals.approval_summaries_create()
    member.approve(by=core_group_member)

    approvals.approval_summaries_send()

    assert mail.outbox == []
    assert ApprovalSummary.objects.get().failed_at is not None


def test_someone_who_lost_the_permission_is_not_sent_the_summary(core_group_member):
    pending("Lab one")
    approvals.approval_summaries_create()
    core_group_member.groups.clear()

    approvals.approval_summaries_send()

    assert mail.outbox == []


def test_the_summary_is_in_the_approvers_language(staff_officer):
    staff_officer.preferred_language = "fr"
    staff_officer.save()
    pending("Laboratoire")

    send_approval_summaries()

    (message,) = mail.outbox
    assert 'lang="fr"' in message.alternatives[0][0]


def test_the_beat_runs_the_summary_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["members-approval-summaries"]

    assert entry["task"] == "members.tasks.send_approval_summaries"
    assert str(entry["schedule"].hour) == "{7}"


def test_a_real_worker_sends_one_summary_per_approver(celery_worker, smtp_relay):
    core = UserFactory(email="core@example.org", is_staff=True, groups=["Core Group"])
    staff = UserFactory(email="officer@ilo.example.org", is_staff=True, groups=["ILO staff"])
    UserFactory(email="member@example.org")
    for number in range(4):
        pending(f"Waiting lab {number}")

    for _ in range(3):  # the beat's run, a duplicate delivery, a manual run
        send_approval_summaries.delay()
    send_member_notices.delay()
    celery_worker.wait_until_idle()

    assert smtp_relay.received() == sorted([core.email, staff.email])
    assert ApprovalSummary.objects.filter(sent_at__isnull=False).count() == 2
