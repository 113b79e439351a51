from django.urls import path

from . import views

app_name = "connections"

urlpatterns = [
    path("suggestions/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
]
