from django.urls import path

from . import views

app_name = "connections"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggestions/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
    path("introduce/<int:pk>/", views.introduce, name="introduce"),
    path("introductions/<int:pk>/", views.introduction_detail, name="introduction"),
    path("introductions/<int:pk>/answer/", views.introduction_answer, name="introduction_answer"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    path("conversations/<int:pk>/leave/", views.conversation_leave, name="conversation_leave"),
    path("messages/<int:pk>/report/", views.message_report, name="message_report"),
    path("preferences/", views.preferences, name="preferences"),
]
