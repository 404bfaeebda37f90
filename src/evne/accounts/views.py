from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """Shown instead of the login page while a username is throttled from an address (axes)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class SignInView(auth_views.LoginView):
    """The sign-in page: the single sign-on button when configured, the password form unless
    password sign-in is switched off (then a posted password is refused)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.EVNE_PASSWORD_LOGIN:
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            password_login=settings.EVNE_PASSWORD_LOGIN,
            password_refused=self.request.method == "POST" and not settings.EVNE_PASSWORD_LOGIN,
            sso_provider=settings.EVNE_OIDC_PROVIDER_NAME if settings.EVNE_OIDC_ISSUER else "",
            **kwargs,
        )
