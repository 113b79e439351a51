from django.urls import path

from . import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("delete/", views.account_delete, name="account_delete"),
    path("my-data.zip", views.account_data, name="account_data"),
]
