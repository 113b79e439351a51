from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.index, name="list"),
]
