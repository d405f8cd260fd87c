from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/new/", views.inbound_new, name="inbound_new"),
    path("referrals/<uuid:inbound_id>/", views.inbound_detail, name="inbound_detail"),
    path("referrals/<uuid:inbound_id>/accept/", views.inbound_accept, name="inbound_accept"),
    path("referrals/<uuid:inbound_id>/decline/", views.inbound_decline, name="inbound_decline"),
    path("referrals/<uuid:inbound_id>/refer-on/", views.inbound_refer_on, name="inbound_refer_on"),
    path("cases/<uuid:case_id>/referrals/new/", views.outbound_new, name="outbound_new"),
    path("cases/<uuid:case_id>/referrals/<uuid:referral_id>/status/", views.outbound_status, name="outbound_status"),
]
