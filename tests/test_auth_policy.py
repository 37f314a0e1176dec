"""Signing in is throttled, passwords follow a policy, and sessions end."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_hashing(settings) -> None:
    """Every failed sign-in hashes a password; the throttle, not the hasher, is under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eddie() -> User:
    return User.objects.create_user("eddie", password=PASSWORD)


def sign_in(client, password: str, *, username: str = "eddie", address: str = "127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failed_sign_ins_lock_the_username_out_from_that_address_with_a_clear_message(client, eddie):
    for _ in range(4):
        response = sign_in(client, "wrong")
        assert response.status_code == 200 and "correct username and password" in response.text
    response = sign_in(client, "wrong")
    assert response.status_code == 429
    assert "Too many failed sign-ins for “eddie” from this address" in response.text
    assert "locked for 15 minutes" in response.text
    # Even the right password is refused while locked.
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_address(client, eddie):
    User.objects.create_user("rita", password=PASSWORD)
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD, username="rita").status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client, eddie):
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get()
    AccessAttempt.objects.update(attempt_time=attempt.attempt_time - settings.AXES_COOLOFF_TIME)
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failures(client, eddie):
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Xk7#pq2!", "at least 12 characters"),
        ("password1234", "too common"),
        ("739184620573", "entirely numeric"),
        ("eddie-marsh-2024", "too similar"),
    ],
)
def test_short_common_numeric_or_personal_passwords_are_refused(password, reason):
    user = User(username="eddie-marsh", first_name="Eddie", last_name="Marsh")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert reason in " ".join(refused.value.messages)


def test_the_password_change_form_applies_the_policy(eddie):
    form = SetPasswordForm(eddie, {"new_password1": "short", "new_password2": "short"})
    assert not form.is_valid()
    assert "at least 12 characters" in str(form.errors)
    good = "quiet lantern orchard 47"
    assert SetPasswordForm(eddie, {"new_password1": good, "new_password2": good}).is_valid()


def test_sessions_last_a_working_day_and_end_with_the_browser(client, eddie):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    sign_in(client, PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60
