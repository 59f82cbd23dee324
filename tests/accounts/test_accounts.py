import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from roadmap.accounts.models import TERMS_VERSION, User
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, **overrides):
    data = {
        "username": "astrid",
        "email": "astrid@example.org",
        "display_name": "Astrid",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
        "accept_terms": "on",
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


@pytest.mark.django_db
def test_sign_up_creates_an_account_that_waits_for_its_e_mail_address(client):
    response = sign_up(client)
    assert response.status_code == 200
    assert "We have sent a message to astrid@example.org." in response.content.decode()
    user = User.objects.get(username="astrid")
    assert user.email == "astrid@example.org"
    assert user.awaiting_email_confirmation
    assert user.terms_version == TERMS_VERSION
    assert abs((timezone.now() - user.terms_accepted_at).total_seconds()) < 60
    assert "_auth_user_id" not in client.session
    (message,) = mail.outbox
    assert message.to == ["astrid@example.org"]
    assert message.subject == "Confirm your e-mail address"
    assert "within 3 days" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"password2": "something-else-entirely"}, "didn’t match"),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"username": ""}, "This field is required."),
        ({"accept_terms": ""}, "Accept the terms of use to create an account."),
    ],
)
def test_sign_up_rejects_bad_input_and_saves_nothing(client, overrides, message):
    response = sign_up(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.django_db
def test_sign_up_answers_the_same_for_a_registered_address_and_tells_its_owner(client):
    new = sign_up(client, username="new", email="new@example.org").content.decode()
    UserFactory(username="astrid-first", email="astrid@example.org")
    mail.outbox.clear()
    taken = sign_up(client, email="Astrid@Example.org").content.decode()
    assert _without_csrf(taken) == _without_csrf(new).replace(
        "new@example.org", "Astrid@Example.org"
    )
    assert "already exists" not in taken
    assert not User.objects.filter(username="astrid").exists()
    (message,) = mail.outbox
    assert message.to == ["astrid@example.org"]
    assert message.subject == "You already have an account"
    assert "your account “astrid-first”" in message.body
    assert "http://testserver/accounts/password/reset/" in message.body


@pytest.mark.django_db
def test_sign_in_and_out(client):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_refused_even_with_the_right_password(client):
    user = UserFactory()
    for _attempt in range(5):
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "wrong"}
        )
        assert "Please enter a correct username and password" in response.content.decode()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_ups_from_one_address_are_rate_limited(client):
    for number in range(5):
        sign_up(client, username=f"person{number}", email=f"person{number}@example.org")
        client.logout()
    response = sign_up(client, username="person6", email="person6@example.org")
    assert "Too many accounts" in response.content.decode()
    assert User.objects.count() == 5


@pytest.mark.django_db
def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


@pytest.mark.django_db
def test_password_reset_by_email(client):
    user = UserFactory(email="reset@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase")


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_language_choice_is_remembered_on_the_account(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    user.refresh_from_db()
    assert user.language == "nb"
    # A new browser (no language cookie) gets the saved language.
    fresh = client.__class__()
    fresh.force_login(user)
    assert 'lang="nb"' in fresh.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_unknown_language_is_ignored(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""


@pytest.mark.django_db
def test_anonymous_language_switch_uses_cookie(client):
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert 'lang="nb"' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_notification_frequency_is_chosen_on_the_profile(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "",
            "email": user.email,
            "language": "",
            "notification_frequency": "daily",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.notification_frequency == "daily"
