from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("start/", views.profile_start, name="start"),
    path("import/", views.member_import, name="import"),
    path("export/", views.member_export, name="export"),
    path("<int:pk>/", views.member_detail, name="detail"),
]
