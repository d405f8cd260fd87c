from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("sharing/policy/", views.policy_page, name="policy"),
    path("sharing/partners/", views.partner_list, name="partner_list"),
    path("sharing/partners/new/", views.partner_new, name="partner_new"),
    path("sharing/partners/<int:partner_id>/", views.partner_edit, name="partner_edit"),
    path("sharing/register/", views.programme_register, name="register"),
    path("sharing/break-glass/", views.break_glass, name="break_glass"),
    path("sharing/break-glass/review/", views.break_glass_review_list, name="break_glass_review_list"),
    path("sharing/break-glass/<uuid:grant_id>/review/", views.break_glass_review, name="break_glass_review"),
    path("cases/<uuid:case_id>/sharing/consents/new/", views.consent_new, name="consent_new"),
    path(
        "cases/<uuid:case_id>/sharing/consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("cases/<uuid:case_id>/sharing/share/", views.disclosure_new, name="disclosure_new"),
    path("cases/<uuid:case_id>/sharing/concerns/new/", views.concern_new, name="concern_new"),
    path(
        "cases/<uuid:case_id>/sharing/concerns/<uuid:concern_id>/approve/",
        views.concern_approve,
        name="concern_approve",
    ),
]
