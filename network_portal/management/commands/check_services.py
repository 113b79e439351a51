import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Check that the PostgreSQL and Redis the test suite needs are reachable."

    def handle(self, *args, **options):
        problems = []
        if connection.vendor != "postgresql":
            problems.append("DATABASE_URL does not point at PostgreSQL.")
        else:
            try:
                # pytest creates test_<name> itself: the server must answer, not <name> exist.
                with connection._nodb_cursor() as cursor:
                    cursor.execute("SELECT 1")
            except DatabaseError as error:
                problems.append(f"PostgreSQL at DATABASE_URL does not answer: {error}".strip())
        if not settings.REDIS_URL:
            problems.append("REDIS_URL is not set.")
        else:
            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
            except redis.RedisError as error:
                problems.append(f"Redis at REDIS_URL does not answer: {error}")
        if problems:
            raise CommandError(
                "The test suite needs PostgreSQL and Redis (see README, 'Running the tests'):\n  "
                + "\n  ".join(problems)
            )
        self.stdout.write("PostgreSQL and Redis answer.")
