"""`manage.py worker`: run background tasks from the database queue, with upkeep.

django_tasks_db's `db_worker` (all its options apply), plus a heartbeat, the rescue of tasks
whose worker died, and the periodic jobs (roadmap.core.worker). Run one or more per
installation; they share the work through the database.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from roadmap.core import periodic, worker


class Command(db_worker.Command):
    help = "Run background tasks and periodic jobs from the database queue."

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        if options["batch"]:  # one round of upkeep, then the tasks that are there
            worker.beat(worker_id)
            worker.rescue_abandoned_tasks()
            periodic.enqueue_due_jobs()
        # With --reload the parent only watches files; the child runs the tasks.
        elif not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.lower_priority()
            worker.beat(worker_id)
            worker.Upkeep(worker_id).start()
        super().handle(*args, **options)
