from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .admin import deliveries

admin.site.site_header = _("Skills Innovation Network administration")
admin.site.site_title = _("Skills Innovation Network")
admin.site.index_title = _("Curation and members")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("members/", include("members.urls")),
    path("", include("discussions.urls")),
    path("categories/", include("categories.urls")),
    path("funds/", include("funds.urls")),
    path("coaching/", include("coaching.urls")),
    path("connections/", include("connections.urls")),
    path("network/", include("network.urls")),
    path("letters/", include("members.letter_urls")),
    path("api/", include("members.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's set-up as a script file: no inline script, for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/deliveries/", admin.site.admin_view(deliveries), name="admin-deliveries"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
