from django.urls import path

from . import views_statistics

app_name = "network"

urlpatterns = [
    path("statistics/", views_statistics.statistics, name="statistics"),
    path("statistics/<slug:table>.csv", views_statistics.statistics_csv, name="statistics_csv"),
]
