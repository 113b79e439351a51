"""The registry of parts: how the home (and later a member's home, the weekly email) gathers."""

import pytest
from django.test import RequestFactory

from network_portal import registry


@pytest.fixture
def own_registry(monkeypatch):
    """Each test registers into a copy; the apps' own parts come back afterwards."""
    monkeypatch.setattr(registry, "_parts", {kind: {} for kind in registry.KINDS})


def figure(value, label):
    return {"value": value, "label": label}


@pytest.mark.usefixtures("own_registry")
def test_parts_render_in_order_then_by_name_and_a_name_registers_once():
    registry.register(
        registry.HOME_FIGURES,
        name="b",
        order=20,
        template="home/_figure.html",
        context=lambda *, request: figure(2, "second"),
    )
    registry.register(
        registry.HOME_FIGURES,
        name="a",
        order=20,
        template="home/_figure.html",
        context=lambda *, request: figure(1, "first"),
    )
    for value in (0, 9):  # registering "z" again replaces it
        registry.register(
            registry.HOME_FIGURES,
            name="z",
            order=10,
            template="home/_figure.html",
            context=lambda *, request, value=value: figure(value, "zeroth"),
        )

    rendered = registry.render(registry.HOME_FIGURES, request=RequestFactory().get("/"))

    assert [part.name for part in registry.parts(registry.HOME_FIGURES)] == ["z", "a", "b"]
    assert len(rendered) == 3
    assert ">9</p>" in rendered[0] and "zeroth" in rendered[0]
    assert "first" in rendered[1] and "second" in rendered[2]


@pytest.mark.usefixtures("own_registry")
def test_a_part_with_nothing_to_say_is_left_out_and_gets_the_kinds_arguments():
    seen = {}

    def for_this_user(*, user, since):
        seen.update(user=user, since=since)
        return None

    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="nothing-new",
        template="home/_figure.html",
        text_template="home/_figure.html",
        context=for_this_user,
    )

    assert registry.render(registry.WEEKLY_EMAIL_SECTIONS, text=True, user="u", since="d") == []
    assert seen == {"user": "u", "since": "d"}


@pytest.mark.usefixtures("own_registry")
def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown kind"):
        registry.register("sidebar", name="x", template="x.html", context=dict)


def test_the_apps_registered_the_homes_parts_when_they_started():
    assert [part.name for part in registry.parts(registry.HOME_FIGURES)] == [
        "members",
        "categories",
    ]
    assert [part.name for part in registry.parts(registry.HOME_SECTIONS)] == [
        "categories",
        "network-map",
    ]
