from django.conf import settings
from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as RunserverCommand,
)

from network_portal.beat import InProcessBeat


class Command(RunserverCommand):
    help = (
        "runserver, plus the tasks of CELERY_BEAT_SCHEDULE run in this process when there is no "
        "broker (make run): reminders, digests and alerts are sent as they fall due."
    )

    def inner_run(self, *args, **options):
        # Called once in the process that serves (not in the autoreloader's watcher).
        if settings.CELERY_TASK_ALWAYS_EAGER:
            InProcessBeat().start()
            self.stdout.write(
                "Scheduled tasks run in this process (CELERY_BEAT_SCHEDULE); "
                "emails are printed here."
            )
        else:
            self.stdout.write("REDIS_URL is set: scheduled tasks are celery beat's work.")
        super().inner_run(*args, **options)
