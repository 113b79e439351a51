from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("start/", views.profile_start, name="start"),
    path("import/", views.member_import, name="import"),
    path("export/", views.member_export, name="export"),
    path("new/", views.profile_create, name="new"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path("<int:pk>/claim/", views.profile_claim, name="claim"),
    path("<int:pk>/approve/", views.profile_approve, name="approve"),
]
