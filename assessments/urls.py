from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("cases/<uuid:case_id>/assessments/", views.index, name="index"),
    path("cases/<uuid:case_id>/assessments/new/", views.new, name="new"),
    path("cases/<uuid:case_id>/assessments/compare/", views.compare, name="compare"),
    path("cases/<uuid:case_id>/assessments/intake/", views.intake, name="intake"),
    path("cases/<uuid:case_id>/assessments/external/new/", views.external_new, name="external_new"),
    path("cases/<uuid:case_id>/assessments/reviews/new/", views.plan_review_new, name="plan_review_new"),
    path("cases/<uuid:case_id>/assessments/<uuid:assessment_id>/", views.detail, name="detail"),
    path("cases/<uuid:case_id>/assessments/<uuid:assessment_id>/judgement/", views.judgement, name="judgement"),
    path("cases/<uuid:case_id>/assessments/<uuid:assessment_id>/goals/", views.goals, name="goals"),
]
