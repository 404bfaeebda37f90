"""A small, real OpenID Connect provider on 127.0.0.1 for the single sign-on tests.

It speaks the authorisation code flow as Entra ID does: discovery, JWKS, /authorize (a form to
choose an account, or straight through for `auto_approve`), /token and /userinfo. It insists on
PKCE (S256) and signs ID tokens with an RSA key made for the test session (joserfc). Nothing
here reaches the internet. Tests change its behaviour through a few plain attributes.
"""

import base64
import contextlib
import html
import json
import secrets
import threading
import time
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "evne-test-client"
CLIENT_SECRET = "evne-test-secret"  # noqa: S105 (a test provider's own secret)


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})


class Provider:
    def __init__(self):
        self.key = new_key("evne-test-key")
        self.issuer = ""  # set once the server has its port
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, str] = {}
        self.reset()

    def reset(self):
        """Back to a provider that knows nobody and behaves."""
        self.accounts: dict[str, dict] = {}  # subject -> its claims
        self.redirect_uris: set[str] = set()
        self.auto_approve: str | None = None
        self.signing_key = self.key  # another key: a token Evne must refuse
        self.id_token_claims: dict = {}  # claims to override in the ID token
        self.forged_claims: dict = {}  # claims changed after signing, as by someone in between
        self.refused_token_requests = 0

    def add_account(self, subject: str, **claims) -> None:
        self.accounts[subject] = claims

    # --- The endpoints -------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("Not found", status=404)
        return response(environ, start_response)

    def discovery(self, request):
        return json_response(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def jwks(self, request):
        return json_response({"keys": [self.key.as_dict(private=False)]})

    def authorize(self, request):
        params = request.values
        if params.get("client_id") != CLIENT_ID:
            return Response("Unknown client", status=400)
        if params.get("redirect_uri") not in self.redirect_uris:
            return Response("Redirect URI not registered", status=400)
        if params.get("response_type") != "code" or "openid" not in params.get("scope", ""):
            return Response("Only the OpenID Connect code flow", status=400)
        if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
            return Response("PKCE with S256 is required", status=400)
        subject = params.get("subject") if request.method == "POST" else self.auto_approve
        if subject not in self.accounts:
            return self.choose_account(params)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "subject": subject,
            "redirect_uri": params["redirect_uri"],
            "nonce": params.get("nonce"),
            "challenge": params["code_challenge"],
        }
        query = urlencode({"code": code, "state": params.get("state", "")})
        return Response(status=302, headers={"Location": f"{params['redirect_uri']}?{query}"})

    def choose_account(self, params):
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in params.items()
            if name != "subject"
        )
        buttons = "".join(
            f'<button name="subject" value="{html.escape(subject)}">'
            f"{html.escape(claims.get('name', subject))}</button>"
            for subject, claims in self.accounts.items()
        )
        page = (
            '<!doctype html><html lang="en"><title>Test provider</title>'
            f'<h1>Choose an account</h1><form method="post" action="/authorize">{hidden}'
            f"{buttons}</form></html>"
        )
        return Response(page, content_type="text/html; charset=utf-8")

    def token(self, request):
        form = request.form
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if request.authorization:
            client_id = request.authorization.username
            client_secret = request.authorization.password
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return self.token_error("invalid_client", 401)
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return self.token_error("invalid_grant")
        verifier = form.get("code_verifier", "")
        if not verifier or create_s256_code_challenge(verifier) != grant["challenge"]:
            return self.token_error("invalid_grant")
        subject = grant["subject"]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": subject,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **self.accounts[subject],
            **self.id_token_claims,
        }
        header = {"alg": "RS256", "kid": self.signing_key.kid}
        id_token = jwt.encode(header, claims, self.signing_key)
        if self.forged_claims:
            id_token = forge(id_token, self.forged_claims)
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = subject
        return json_response(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    def token_error(self, error, status=400):
        self.refused_token_requests += 1
        return json_response({"error": error}, status)

    def userinfo(self, request):
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        subject = self.access_tokens.get(bearer)
        if subject is None:
            return json_response({"error": "invalid_token"}, 401)
        return json_response({"sub": subject, **self.accounts[subject]})


def forge(token: str, changes: dict) -> str:
    """The token with its payload changed and the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = json.dumps({**claims, **changes}).encode()
    return f"{header}.{base64.urlsafe_b64encode(forged).rstrip(b'=').decode()}.{signature}"


def json_response(body, status=200):
    return Response(json.dumps(body), status=status, content_type="application/json")


@contextlib.contextmanager
def running_provider():
    """A provider serving on a free loopback port until the block ends."""
    provider = Provider()
    server = make_server("127.0.0.1", 0, provider, threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join()


def use_provider(settings, provider, redirect_uri: str) -> None:
    """Point Evne's settings at the provider, as the EVNE_OIDC_* variables would."""
    provider.redirect_uris.add(redirect_uri)
    settings.EVNE_OIDC_ISSUER = provider.issuer
    settings.EVNE_OIDC_PROVIDER_NAME = "Testvik ID"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "evne.accounts.oidc.SingleSignOnBackend",
    ]
