from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    # POST only, so a link cannot sign anyone out.
    path("logout/", views.logout, name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/set-up/", views.otp_enrol, name="otp_enrol"),
    path("confirm/", views.reauth, name="reauth"),
    path("tokens/", views.api_tokens, name="api_tokens"),
]
