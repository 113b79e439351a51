import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(visitor):
    response = visitor.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
