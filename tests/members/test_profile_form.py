"""The profile form as its owner meets it."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_working_languages_are_ticked_not_ctrl_clicked(user_without_profile, client_for):
    html = client_for(user_without_profile).get("/members/new/").content.decode()

    assert "Ctrl" not in html
    assert "<select" not in re.search(r"Working languages.*?</fieldset>", html, re.S).group()
    assert re.search(r'<input type="checkbox" name="languages" value="fr"[^>]*>', html)
    assert "Tick every language you work in." in html
