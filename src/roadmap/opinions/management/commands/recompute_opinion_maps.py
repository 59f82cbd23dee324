"""Recompute opinion maps: once (the dirty ones, or all with --all), or as a worker with --loop.

With TASKS_BACKEND=off (several app processes, no queue server) run one `--loop` worker: it
finds maps marked dirty in the database and recomputes each at most once per debounce period.
"""

import time

from django.core.management.base import BaseCommand

from roadmap.core.tasks import lower_priority
from roadmap.opinions import services
from roadmap.opinions.models import OpinionMap


class Command(BaseCommand):
    help = "Recompute opinion maps that have new votes (or all of them, or in a loop)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every map in full.")
        parser.add_argument("--loop", action="store_true", help="Keep running as a worker.")
        parser.add_argument(
            "--interval",
            type=float,
            default=services.RECOMPUTE_DEBOUNCE_SECONDS,
            help="Seconds between rounds with --loop (default: the debounce period).",
        )

    def handle(self, *args, **options):
        lower_priority()
        if options["all"]:
            phase_ids = list(OpinionMap.objects.values_list("phase_id", flat=True))
            for phase_id in phase_ids:
                services.recompute_map(phase_id=phase_id, full=True)
            self.stdout.write(f"Recomputed {len(phase_ids)} opinion map(s).")
            return
        while True:
            count = services.recompute_dirty_maps(
                older_than_seconds=options["interval"] if options["loop"] else 0
            )
            self.stdout.write(f"Recomputed {count} opinion map(s).")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
