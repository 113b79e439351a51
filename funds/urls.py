from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.fundcall_list, name="list"),
    path("feed.rss", views.feed_rss, name="feed"),
    path("deadlines.ics", views.deadlines_calendar, name="deadlines"),
    path("following/", views.following, name="following"),
    path("suggest/", views.suggest, name="suggest"),
    path("alerts/", views.alerts, name="alerts"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/", views.fundcall_detail, name="detail"),
    path("<int:pk>/calendar.ics", views.fundcall_calendar_file, name="calendar"),
    path("<int:pk>/partners/new/", views.partner_create, name="partner_create"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/close/", views.partner_close, name="partner_close"),
    path("<int:pk>/follow/", views.fundcall_follow, name="follow"),
    path("<int:pk>/unfollow/", views.fundcall_unfollow, name="unfollow"),
]
