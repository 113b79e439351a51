from django.urls import path

from . import letter_views

app_name = "letters"

urlpatterns = [
    path("", letter_views.my_documents, name="mine"),
    path("request/", letter_views.letter_request_create, name="request"),
    path("<str:token>/", letter_views.document_verify, name="verify"),
    path("<str:token>/revoke/", letter_views.document_revoke, name="revoke"),
    path("<str:token>/pdf/", letter_views.document_download, name="pdf"),
]
