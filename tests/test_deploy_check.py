"""With production settings from the environment, `manage.py check --deploy` finds nothing to report."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


def run_check(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    command = [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=environment | env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="claims.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_check(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="claims.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_development_settings_are_what_the_deploy_check_warns_about():
    result = run_check()
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W018"):
        assert warning in result.stderr
