"""The settings read from the environment; each case starts a fresh `evne` process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

EVNE = str(Path(sys.executable).with_name("evne"))
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "evne.example.kommune.no",
    "PATH": os.environ.get("PATH", ""),
}


def run_evne(*args, env):
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [EVNE, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path)}
    result = run_evne("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_evne_refuses_to_start_without_a_secret_key_when_not_debugging(tmp_path):
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path)}
    del env["SECRET_KEY"]
    result = run_evne("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_migrations_are_checked_without_production_secrets(tmp_path):
    env = {"PATH": PRODUCTION_ENV["PATH"], "EVNE_VAR_DIR": str(tmp_path)}
    result = run_evne("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    # Anything else still refuses to run without them.
    assert "SECRET_KEY is not set" in run_evne("check", env=env).stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("f" * 64)
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), "SECRET_KEY_FILE": str(secret_file)}
    del env["SECRET_KEY"]
    result = run_evne(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "f" * 64


def test_evne_refuses_to_start_without_allowed_hosts_when_not_debugging(tmp_path):
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path)}
    del env["ALLOWED_HOSTS"]
    result = run_evne("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_the_database_url_can_come_from_a_file(tmp_path):
    database = tmp_path / "from-file.sqlite3"
    url_file = tmp_path / "database-url"
    url_file.write_text(f"sqlite:///{database}\n")
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), "DATABASE_URL_FILE": str(url_file)}
    result = run_evne("migrate", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    assert database.exists()


def test_a_malformed_boolean_is_refused_with_its_name(tmp_path):
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), "DEBUG": "maybe"}
    result = run_evne("check", env=env)
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_evne_command_honours_database_url(tmp_path):
    database = tmp_path / "elsewhere.sqlite3"
    env = {**PRODUCTION_ENV, "EVNE_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}"}
    result = run_evne("migrate", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    assert database.exists()
    wal = run_evne(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        env=env,
    )
    assert wal.stdout.strip() == "wal"
