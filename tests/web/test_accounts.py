"""Memberships and roles, users created with a role (and by the CLI), hashed API tokens."""

from __future__ import annotations

import datetime as dt

import pytest
import typer
from django.db import IntegrityError, transaction
from django.utils import timezone
from typer.testing import CliRunner

from rightsmarker.cli import web_cmd
from rightsmarker.web.accounts.models import ApiToken, Membership
from rightsmarker.web.accounts.roles import roles_of
from rightsmarker.web.accounts.users import UserError, create_user

pytestmark = pytest.mark.django_db


def test_roles_say_who_may_do_what(world):
    owner, reviewer = roles_of(world.users["owner"]), roles_of(world.users["reviewer"])
    assert owner.is_editor(world.city_a.pk) and not owner.is_editor(world.city_b.pk)
    assert owner.role_for(world.city_a.pk) == "city_editor" and not owner.is_secretariat
    assert reviewer.role_for(world.city_b.pk) == "secretariat_reviewer" and not reviewer.is_admin
    assert roles_of(None).authenticated is False


def test_a_secretariat_membership_has_no_city_and_a_city_membership_has_one(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.users["owner"], role="secretariat_admin",
                                  city=world.city_b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.users["owner"], role="city_viewer", city=None)


@pytest.mark.parametrize("role,city,words", [
    ("boss", None, "unknown role"), ("city_editor", None, "needs --city"),
    ("secretariat_reviewer", "aranvale", "give no --city"), ("city_viewer", "nowhere",
                                                              "unknown city 'nowhere'"),
])
def test_create_user_refuses_what_does_not_fit(world, role, city, words):
    with pytest.raises(UserError, match=words):
        create_user("new", "", role, city, "pw")


def test_create_user_refuses_a_taken_name(world):
    with pytest.raises(UserError, match="already exists"):
        create_user("owner", "", "city_viewer", "aranvale", "pw")


def test_the_createuser_command_creates_a_city_editor(world):
    app = typer.Typer()
    app.callback()(lambda: None)
    web_cmd.register(app)
    result = CliRunner().invoke(app, ["createuser", "newbie", "--email", "n@example.org",
                                      "--role", "city_editor", "--city", "bellmora",
                                      "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    assert roles_of(Membership.objects.get(user__username="newbie").user).is_editor(
        world.city_b.pk)


def test_api_tokens_are_stored_hashed_and_authenticate(world):
    token, plain = ApiToken.issue(world.users["owner"], "script", can_write=True)
    assert plain not in (token.digest, token.prefix) and len(token.digest) == 64
    assert ApiToken.authenticate(plain) == token
    assert ApiToken.authenticate(plain + "x") is None and ApiToken.authenticate("") is None
    token.refresh_from_db()
    assert token.last_used is not None


def test_revoked_and_expired_tokens_do_not_authenticate(world):
    token, plain = ApiToken.issue(world.users["owner"], "old")
    token.revoke()
    assert ApiToken.authenticate(plain) is None
    past = timezone.now() - dt.timedelta(days=1)
    _expired, plain2 = ApiToken.issue(world.users["owner"], "expired", expires=past)
    assert ApiToken.authenticate(plain2) is None


def test_a_failed_sign_in_says_so_in_plain_korean(world, client):
    page = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"},
                       HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "사용자 이름과 비밀번호가 맞지 않습니다" in page and "와/과" not in page
