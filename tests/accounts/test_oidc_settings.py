"""The EVNE_OIDC_* and EVNE_PASSWORD_LOGIN variables; each case starts a fresh `evne` process."""

from tests.core.test_settings import PRODUCTION_ENV, run_evne

SSO_ENV = {
    "EVNE_OIDC_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0/",
    "EVNE_OIDC_CLIENT_ID": "client-id",
    "EVNE_OIDC_ROLE_MAP": "evne-hr=hr:K, evne-analytiker=analyst:K",
}


def settings_of(tmp_path, expression, **env):
    result = run_evne(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print({expression})",
        env={**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_configured_issuer_turns_single_sign_on_on(tmp_path):
    secret = tmp_path / "oidc-secret"
    secret.write_text("from-a-file\n")
    env = {**SSO_ENV, "EVNE_OIDC_CLIENT_SECRET_FILE": str(secret)}
    printed = settings_of(
        tmp_path,
        "settings.EVNE_OIDC_ISSUER, settings.OIDC_RP_CLIENT_SECRET, settings.EVNE_OIDC_ROLE_MAP,"
        " settings.AUTHENTICATION_BACKENDS[-1]",
        **env,
    )
    assert printed == (
        "https://login.microsoftonline.com/tenant-id/v2.0 from-a-file "
        "[('evne-hr', 'hr', 'K'), ('evne-analytiker', 'analyst', 'K')] "
        "evne.accounts.oidc.SingleSignOnBackend"
    )


def test_without_an_issuer_only_passwords_are_used(tmp_path):
    printed = settings_of(tmp_path, "settings.AUTHENTICATION_BACKENDS")
    assert "oidc" not in printed


def test_passwords_off_leaves_them_to_superusers(tmp_path):
    printed = settings_of(
        tmp_path, "settings.AUTHENTICATION_BACKENDS", EVNE_PASSWORD_LOGIN="false", **SSO_ENV
    )
    assert "BreakGlassBackend" in printed
    assert "ModelBackend" not in printed


def test_passwords_off_without_single_sign_on_is_refused_at_start(tmp_path):
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), "EVNE_PASSWORD_LOGIN": "false"}
    result = run_evne("check", env=env)
    assert result.returncode != 0
    assert "EVNE_PASSWORD_LOGIN=false needs single sign-on" in result.stderr


def test_a_malformed_role_map_is_refused_at_start_with_its_name(tmp_path):
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), **SSO_ENV}
    env["EVNE_OIDC_ROLE_MAP"] = "evne-hr=hr"
    result = run_evne("check", env=env)
    assert result.returncode != 0
    assert "EVNE_OIDC_ROLE_MAP entries look like evne-hr=hr:K, not 'evne-hr=hr'" in result.stderr


def test_an_unknown_match_field_is_refused_at_start(tmp_path):
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), "EVNE_OIDC_MATCH_FIELD": "phone"}
    result = run_evne("check", env=env)
    assert result.returncode != 0
    assert "EVNE_OIDC_MATCH_FIELD must be email or employee_number" in result.stderr
