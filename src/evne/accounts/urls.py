from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from evne.accounts import oidc
from evne.accounts.forms import StyledPasswordChangeForm
from evne.accounts.views import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    # The names mozilla-django-oidc reverses; /oidc/callback/ is the redirect URI to register.
    path(
        "oidc/authenticate/",
        login_not_required(oidc.StartView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        login_not_required(oidc.CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=StyledPasswordChangeForm,
            success_url=reverse_lazy("password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
