from django.conf import settings


def client_address(request) -> str | None:
    """The address a sign-in came from, for throttling failed logins.

    Behind EVNE_PROXY_COUNT trusted reverse proxies, each proxy appends the address it saw to
    X-Forwarded-For, so the client is the entry that many places from the end; anything before
    it was written by the client itself and is not trusted. With no proxy, only the connection's
    own address counts.
    """
    proxies = settings.EVNE_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
