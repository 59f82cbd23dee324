"""`manage.py run_periodic_jobs`: enqueue the periodic jobs that are due, then exit.

`manage.py worker` does this every minute by itself. This entry point is for installations
whose workers are not the database worker (RQ), to be called from a systemd timer or a
Kubernetes CronJob every few minutes; calling it more often, or from several machines, never
enqueues a period twice.
"""

from django.core.management.base import BaseCommand

from roadmap.core import periodic


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (safe to run from several places at once)."

    def handle(self, *args, **options):
        names = periodic.enqueue_due_jobs()
        if names:
            self.stdout.write("Enqueued: " + ", ".join(names))
        else:
            self.stdout.write("Nothing due.")
