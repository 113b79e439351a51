from django.urls import path

from . import invitation_views, needs_views, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("start/", views.profile_start, name="start"),
    path("import/", views.member_import, name="import"),
    path("staff/", views.staff_tools, name="staff"),
    path("invitations/", invitation_views.invitation_list, name="invitations"),
    path("invitations/send/", invitation_views.invitation_send, name="invitation_send"),
    path(
        "invitations/accept/<str:token>/",
        invitation_views.invitation_accept,
        name="invitation_accept",
    ),
    path("invitations/unsubscribe/<str:token>/", invitation_views.unsubscribe, name="unsubscribe"),
    path("needs/", needs_views.needs_assessment, name="needs"),
    path("needs/skip/", needs_views.needs_assessment_skip, name="needs_skip"),
    path("needs/report/", needs_views.needs_report, name="needs_report"),
    path("export/", views.member_export, name="export"),
    path("new/", views.profile_create, name="new"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path("<int:pk>/claim/", views.profile_claim, name="claim"),
    path("<int:pk>/approve/", views.profile_approve, name="approve"),
]
