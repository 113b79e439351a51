from django.urls import path

from . import api

urlpatterns = [
    path("members/", api.MemberListAPIView.as_view(), name="api-member-list"),
]
