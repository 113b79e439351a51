from django.urls import path

from . import views, views_statistics

app_name = "network"

urlpatterns = [
    path("", views.network_page, name="graph"),
    path("map/", views.world_map, name="map"),
    path("kumu.json", views.kumu_json, name="kumu-json"),
    path("kumu.xlsx", views.kumu_xlsx, name="kumu-xlsx"),
    path("kumu/", views.kumu_token, name="kumu"),
    path("kumu/reset/", views.kumu_token_reset, name="kumu-reset"),
    path("statistics/", views_statistics.statistics, name="statistics"),
    path("statistics/<slug:table>.csv", views_statistics.statistics_csv, name="statistics_csv"),
]
