"""What the benchmark scripts share: their database and a counting SMTP sink."""

import os
import socket
import time
from urllib.parse import urlsplit, urlunsplit


def ensure_database():
    """Create the benchmark database when it does not exist yet (before Django connects)."""
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    maintenance = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CountingHandler:
    def __init__(self, counter, delay):
        self.counter = counter
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)  # a relay writing the message to its queue
        with self.counter.get_lock():
            self.counter.value += 1
        return "250 OK"


def run_sink(port, counter, ready, delay=0.0):
    """An SMTP server that accepts everything and counts it, answering each message after
    ``delay`` seconds (connections are served concurrently); runs until terminated."""
    from aiosmtpd.controller import Controller

    controller = Controller(CountingHandler(counter, delay), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def start(sink_timeout=30, sink_delay=0.0):
    """Create and migrate the database, start the SMTP sink and point Django's email at it.

    ``sink_delay``: seconds the sink takes to accept each message.

    Returns ``(port, counter, sink)``: the sink's port, a shared count of the messages it
    accepted, and its process (terminate it at the end).
    """
    import multiprocessing
    import sys

    ensure_database()
    port = free_port()
    counter = multiprocessing.Value("i", 0)
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(
        target=run_sink, args=(port, counter, ready, sink_delay), daemon=True
    )
    sink.start()
    if not ready.wait(timeout=sink_timeout):
        sys.exit("The SMTP sink did not start.")
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log while timing
    return port, counter, sink
