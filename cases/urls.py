from django.urls import path

from . import views

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/identity/", views.case_identity, name="case_identity"),
    path("cases/<uuid:case_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("cases/<uuid:case_id>/transition/", views.case_transition, name="case_transition"),
    path("cases/<uuid:case_id>/attributes/", views.case_attributes, name="case_attributes"),
    path("cases/<uuid:case_id>/team/", views.case_team, name="case_team"),
    path("cases/<uuid:case_id>/erase/", views.case_erase, name="case_erase"),
]
