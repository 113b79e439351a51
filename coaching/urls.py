from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("past/", views.session_past, name="past"),
    path("new/", views.session_create, name="new"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/register/", views.session_register, name="register"),
    path("<int:pk>/unregister/", views.session_unregister, name="unregister"),
    path("<int:pk>/calendar.ics", views.session_ics, name="ics"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("<int:pk>/attendees/", views.session_attendees, name="attendees"),
    path("<int:pk>/attendees.csv", views.session_attendees_csv, name="attendees_csv"),
    path("<int:pk>/notes/", views.session_notes, name="notes"),
    path("<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("certificates/", views.my_certificates, name="certificates"),
    path("series/<int:pk>/join/", views.series_join, name="series_join"),
    path("series/<int:pk>/leave/", views.series_leave, name="series_leave"),
    path("series/<int:pk>/certificate/", views.series_certificate, name="certificate"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("knowledge/", views.knowledge_list, name="knowledge_list"),
    path("knowledge/new/", views.knowledge_create, name="knowledge_new"),
    path("knowledge/<slug:slug>/", views.knowledge_detail, name="knowledge_detail"),
    path("knowledge/<slug:slug>/edit/", views.knowledge_edit, name="knowledge_edit"),
]
