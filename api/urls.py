from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from . import aftercare_views, assessments_views, conferences_views, referrals_views, sharing_views, views

app_name = "api"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<str:case_id>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<str:case_id>/identity/", views.CaseIdentityView.as_view(), name="case-identity"),
    path("cases/<str:case_id>/transitions/", views.TransitionListView.as_view(), name="case-transitions"),
    path("cases/<str:case_id>/contacts/", views.ContactListView.as_view(), name="case-contacts"),
    path("cases/<str:case_id>/agreement/", views.AgreementView.as_view(), name="case-agreement"),
    path("cases/<str:case_id>/plan/", views.PlanView.as_view(), name="case-plan"),
    path("cases/<str:case_id>/needs/", views.NeedListView.as_view(), name="case-needs"),
    path("cases/<str:case_id>/needs/<str:need_id>/", views.NeedDetailView.as_view(), name="case-need"),
    path("cases/<str:case_id>/needs/<str:need_id>/goals/", views.GoalListView.as_view(), name="case-need-goals"),
    path("cases/<str:case_id>/goals/<str:goal_id>/", views.GoalDetailView.as_view(), name="case-goal"),
    path(
        "cases/<str:case_id>/goals/<str:goal_id>/services/", views.ServiceListView.as_view(), name="case-goal-services"
    ),
    path("cases/<str:case_id>/services/<str:service_id>/", views.ServiceDetailView.as_view(), name="case-service"),
    path("cases/<str:case_id>/consents/", sharing_views.ConsentListView.as_view(), name="case-consents"),
    path(
        "cases/<str:case_id>/consents/<str:consent_id>/withdraw/",
        sharing_views.ConsentWithdrawView.as_view(),
        name="case-consent-withdraw",
    ),
    path("cases/<str:case_id>/disclosures/", sharing_views.DisclosureListView.as_view(), name="case-disclosures"),
    path("cases/<str:case_id>/assessments/", assessments_views.AssessmentListView.as_view(), name="case-assessments"),
    path("instruments/", assessments_views.InstrumentListView.as_view(), name="instrument-list"),
    path("clients/lookup/", views.ClientLookupView.as_view(), name="client-lookup"),
    path(
        "cases/<str:case_id>/case-conferences/", conferences_views.ConferenceListView.as_view(), name="case-conferences"
    ),
    path(
        "cases/<str:case_id>/case-conferences/<str:conference_id>/",
        conferences_views.ConferenceDetailView.as_view(),
        name="case-conference",
    ),
    path(
        "cases/<str:case_id>/case-conferences/<str:conference_id>/summary/",
        conferences_views.ConferenceSummaryView.as_view(),
        name="case-conference-summary",
    ),
    path(
        "cases/<str:case_id>/case-conferences/<str:conference_id>/actions/",
        conferences_views.ConferenceActionListView.as_view(),
        name="case-conference-actions",
    ),
    path(
        "cases/<str:case_id>/conference-actions/<str:action_id>/",
        conferences_views.ConferenceActionDetailView.as_view(),
        name="case-conference-action",
    ),
    path("cases/<str:case_id>/referrals/", referrals_views.OutboundListView.as_view(), name="case-referrals"),
    path(
        "cases/<str:case_id>/referrals/<str:referral_id>/",
        referrals_views.OutboundDetailView.as_view(),
        name="case-referral",
    ),
    path("cases/<str:case_id>/release-plan/", aftercare_views.ReleasePlanView.as_view(), name="case-release-plan"),
    path("notifications/", aftercare_views.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/<int:notification_id>/read/",
        aftercare_views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    # The schema describes the API, not any case; it still needs a token so that the surface is not public.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
]
