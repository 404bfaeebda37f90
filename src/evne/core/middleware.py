from django.middleware.locale import LocaleMiddleware


class BokmalFirstLocaleMiddleware(LocaleMiddleware):
    """Django's locale middleware without the browser's language list: Evne speaks Norwegian
    Bokmål until the user picks another language with the switch (kept in a cookie). Shared
    PCs in municipal services are often set up in English, and their users expect Norwegian."""

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
