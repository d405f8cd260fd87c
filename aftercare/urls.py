from django.urls import path

from . import views

app_name = "aftercare"

urlpatterns = [
    path("cases/<uuid:case_id>/release/", views.release_plan, name="release_plan"),
    path("cases/<uuid:case_id>/release/contacts/", views.release_contact_add, name="release_contact_add"),
    path(
        "cases/<uuid:case_id>/release/contacts/<int:release_contact_id>/remove/",
        views.release_contact_remove,
        name="release_contact_remove",
    ),
    path(
        "cases/<uuid:case_id>/release/checks/<slug:check_kind>/acknowledge/",
        views.release_check_acknowledge,
        name="release_check_acknowledge",
    ),
    path("cases/<uuid:case_id>/social-net-conferences/new/", views.conference_record, name="conference_new"),
    path(
        "cases/<uuid:case_id>/social-net-conferences/<uuid:social_net_id>/",
        views.conference_record,
        name="conference_record",
    ),
    path("on-call/", views.on_call, name="on_call"),
    path("on-call/<int:on_call_shift_id>/remove/", views.on_call_remove, name="on_call_remove"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]
