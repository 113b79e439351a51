"""The two groups of DESIGN.md and the permissions each holds.

Who may do what is decided by these permissions, never by ``is_staff`` alone. The groups are
(re)synchronised after every ``migrate``, because permissions exist only once migrations have run.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ILO_STAFF = "ILO staff"
CORE_GROUP = "Core Group"

# "app_label.codename"; an app adds its own rows here when it needs a group to hold them.
GROUP_PERMISSIONS = {
    ILO_STAFF: [
        "members.export_members",
        "members.view_private_contacts",
        "members.approve_member",
        "members.import_members",
        "members.invite_members",
        "members.remove_unclaimed",
        "accounts.view_accountdeletion",
        "members.view_needs_report",
        "members.view_member",
        "members.change_member",
        "members.add_member",
        "members.view_coregrouprole",
        "members.add_coregrouprole",
        "members.change_coregrouprole",
        "members.delete_coregrouprole",
        "members.view_memberexport",
        "members.issue_letter",
        "members.revoke_document",
        "members.view_issueddocument",
        "members.view_letterrequest",
        "categories.view_category",
        "categories.change_category",
        "accounts.view_user",
        "funds.view_fundcall",
        "funds.add_fundcall",
        "funds.change_fundcall",
        "funds.moderate_fundcall",
        "funds.view_fundcallevent",
        "coaching.manage_every_session",
        "coaching.view_coachingsession",
        "coaching.add_coachingsession",
        "coaching.change_coachingsession",
        "coaching.delete_coachingsession",
        "coaching.view_sessionseries",
        "coaching.add_sessionseries",
        "coaching.change_sessionseries",
        "coaching.delete_sessionseries",
        "coaching.view_registration",
        "coaching.view_knowledgeentry",
        "coaching.add_knowledgeentry",
        "coaching.change_knowledgeentry",
        "coaching.delete_knowledgeentry",
        "coaching.manage_every_entry",
        "discussions.moderate_discussions",
        "discussions.view_postreport",
        "discussions.change_postreport",
        "discussions.view_thread",
        "discussions.view_post",
        "discussions.view_postrevision",
        # Emails that failed or stalled: seen and retried on /admin/deliveries/.
        "funds.change_fundcalldelivery",
        "weekly.change_weeklyemaildelivery",
        "coaching.change_sessionreminder",
        "coaching.change_sessionnotice",
        "members.change_approvalnotice",
        "discussions.change_postdelivery",
        # The needs assessment: the questions, and members' own answers (staff only).
        "members.view_needsquestion",
        "members.add_needsquestion",
        "members.change_needsquestion",
        "members.view_needsoption",
        "members.add_needsoption",
        "members.change_needsoption",
        "members.delete_needsoption",
        "members.view_needsassessment",
        "members.view_invitationround",
        "members.view_emailsuppression",
        "members.add_emailsuppression",
        "members.change_invitationemail",
        # Connections: counts of introductions and conversations (never their messages), the
        # queue of reported messages, and the emails on /admin/deliveries/.
        "connections.view_introduction",
        "connections.view_conversation",
        "connections.view_report",
        "connections.change_report",
        "connections.change_connectionemail",
        # The network page's per-member metrics; the Kumu feed's members-only token.
        "network.view_network_metrics",
        "network.use_kumu_token",
    ],
    CORE_GROUP: [
        "members.approve_member",
        "members.view_needs_report",
        "members.view_member",
        "members.change_member",
        "members.view_coregrouprole",
        "categories.view_category",
        "funds.view_fundcall",
        "funds.add_fundcall",
        "funds.change_fundcall",
        "funds.moderate_fundcall",
        "funds.view_fundcallevent",
        # Facilitators host sessions: the admin lets them change only the ones they host.
        "coaching.view_coachingsession",
        "coaching.add_coachingsession",
        "coaching.change_coachingsession",
        "coaching.view_sessionseries",
        "coaching.add_sessionseries",
        "coaching.change_sessionseries",
        "coaching.view_registration",
        "coaching.view_knowledgeentry",
        "coaching.add_knowledgeentry",
        "coaching.change_knowledgeentry",
        # SIG leads see the reports on posts; what they may act on is their own category.
        "discussions.view_postreport",
        "discussions.change_postreport",
        "network.view_network_metrics",
    ],
}


def sync_groups(**kwargs):
    """Create the groups and grant their permissions; idempotent, safe to run on every migrate."""
    for name, perms in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        query = Q()
        for perm in perms:
            app_label, codename = perm.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(query))
