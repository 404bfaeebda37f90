from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """Shown instead of the login page while a username is throttled from an address (axes)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
