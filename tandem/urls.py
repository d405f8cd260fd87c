from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cases.urls")),
    path("", include("planning.urls")),
    path("", include("assessments.urls")),
    path("", include("rights.urls")),
    path("", include("sharing.urls")),
    path("", include("aftercare.urls")),
    path("", include("conferences.urls")),
    path("", include("referrals.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# A database outage answers 503 with a clear message; every other server error is Django's 500.
handler500 = "tandem.errors.server_error"
