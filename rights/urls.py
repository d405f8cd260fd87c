from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("cases/<uuid:case_id>/restriction/", views.restriction, name="restriction"),
    path("cases/<uuid:case_id>/legal-holds/", views.legal_holds, name="legal_holds"),
    path("cases/<uuid:case_id>/identity/correct/", views.identity_correct, name="identity_correct"),
    path("cases/<uuid:case_id>/identity/history/", views.identity_history, name="identity_history"),
    path("cases/<uuid:case_id>/access-report/", views.access_report, name="access_report"),
    path("data-protection/", views.overview, name="overview"),
    path("data-protection/retention/", views.retention, name="retention"),
    path("data-protection/record-of-processing/", views.ropa, name="ropa"),
    path("data-protection/breach/", views.breach, name="breach"),
    path("data-protection/statistics.csv", views.statistics_csv, name="statistics_csv"),
]
