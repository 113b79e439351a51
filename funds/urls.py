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
    path("<int:pk>/follow/", views.fundcall_follow, name="follow"),
    path("<int:pk>/unfollow/", views.fundcall_unfollow, name="unfollow"),
]
