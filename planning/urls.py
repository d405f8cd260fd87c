from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("cases/<uuid:case_id>/agreement/", views.agreement_edit, name="agreement_edit"),
    path("cases/<uuid:case_id>/agreement/history/", views.agreement_history, name="agreement_history"),
    path("cases/<uuid:case_id>/agreement/history/<int:number>/", views.agreement_revision, name="agreement_revision"),
    path("cases/<uuid:case_id>/agreement/compare/", views.agreement_compare, name="agreement_compare"),
    path("cases/<uuid:case_id>/plan/", views.plan, name="plan"),
    path("cases/<uuid:case_id>/needs/new/", views.need_new, name="need_new"),
    path("cases/<uuid:case_id>/needs/<uuid:need_id>/status/", views.need_status, name="need_status"),
    path("cases/<uuid:case_id>/needs/<uuid:need_id>/goals/new/", views.goal_new, name="goal_new"),
    path("cases/<uuid:case_id>/goals/<uuid:goal_id>/status/", views.goal_status, name="goal_status"),
    path("cases/<uuid:case_id>/goals/<uuid:goal_id>/services/new/", views.service_new, name="service_new"),
    path("cases/<uuid:case_id>/services/<uuid:service_id>/status/", views.service_status, name="service_status"),
]
