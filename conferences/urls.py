from django.urls import path

from . import views

app_name = "conferences"

_one = "cases/<uuid:case_id>/case-conferences/<uuid:conference_id>/"

urlpatterns = [
    path("conferences/my-actions/", views.my_actions, name="my_actions"),
    path("cases/<uuid:case_id>/case-conferences/", views.conference_list, name="list"),
    path("cases/<uuid:case_id>/case-conferences/new/", views.conference_new, name="new"),
    path(_one, views.conference_detail, name="detail"),
    path(_one + "pack/", views.conference_pack, name="pack"),
    path(_one + "pack/send/", views.pack_send, name="pack_send"),
    path(_one + "participants/", views.participant_add, name="participant_add"),
    path(_one + "attendance/", views.attendance, name="attendance"),
    path(_one + "summary/", views.summary_write, name="summary_write"),
    path(_one + "summary/review/", views.summary_review, name="summary_review"),
    path(_one + "decisions/", views.decision_add, name="decision_add"),
    path(_one + "actions/", views.action_add, name="action_add"),
    path(_one + "identity/", views.identity_reveal, name="identity_reveal"),
    path(_one + "cancel/", views.conference_cancel, name="cancel"),
    path("cases/<uuid:case_id>/conference-actions/<uuid:action_id>/status/", views.action_status, name="action_status"),
]
