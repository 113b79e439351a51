"""The beat schedule run inside the web process, for `make run` (no broker, no beat process)."""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

from .celery import app

logger = logging.getLogger(__name__)


class InProcessBeat:
    """Runs each task of ``CELERY_BEAT_SCHEDULE`` here: once at start, then at its interval or
    crontab.

    What celery beat and a worker do in production, in one thread of the demo server. The tasks
    are idempotent, so a restart (runserver reloads on every code change) only runs them early.
    A task that fails is logged and run again at its next turn.
    """

    def __init__(self, schedule=None, *, clock=time.monotonic):
        self.schedule = settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule
        self.clock = clock
        app.loader.import_default_modules()  # the tasks modules, as a worker imports them
        start = clock()
        self.next_run = dict.fromkeys(self.schedule, start)

    def run_due(self):
        """Run every task now due, in turn; returns the names of the schedule entries run."""
        ran = []
        for name, entry in self.schedule.items():
            now = self.clock()
            if now < self.next_run[name]:
                continue
            self.next_run[name] = now + _seconds(entry["schedule"])
            task = app.tasks[entry["task"]]
            try:
                task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True)
            except Exception:
                logger.exception("Scheduled task %s failed; it runs again at its next turn", name)
            ran.append(name)
        return ran

    def start(self, *, tick=1.0):
        """Run the schedule in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()

        def loop():
            while True:
                self.run_due()
                close_old_connections()  # as after a request: drop a broken or aged connection
                if stop.wait(tick):
                    return

        threading.Thread(target=loop, name="in-process-beat", daemon=True).start()
        return stop


def _seconds(schedule):
    if isinstance(schedule, datetime.timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, int | float):
        return float(schedule)
    # A celery schedule (crontab, solar): the time until its next run after now.
    return max(schedule.remaining_estimate(app.now()).total_seconds(), 1.0)
