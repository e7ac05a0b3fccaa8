"""The interface speaks Russian whatever language the browser asks for: there is no other
translation, and Django's own messages (a refused login) must not switch to English for a
browser set to English."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["en", "en-US,en;q=0.9", "de", ""])
def test_a_refused_login_is_explained_in_russian(asked: str) -> None:
    response = Client().post(
        "/login/", {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE=asked
    )
    text = response.content.decode()
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in text
    assert "Please enter" not in text
    assert response.get("Content-Language") in (None, "ru")
