"""Recompute opinion maps now: the ones with new votes, or every one in full with --all.

`manage.py worker` recomputes maps by itself as votes arrive; this is for operators (after an
upgrade of the method, say) and scripts.
"""

from django.core.management.base import BaseCommand

from roadmap.opinions import services
from roadmap.opinions.models import OpinionMap


class Command(BaseCommand):
    help = "Recompute opinion maps that have new votes now (or all of them in full)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every map in full.")

    def handle(self, *args, **options):
        if options["all"]:
            phase_ids = list(OpinionMap.objects.values_list("phase_id", flat=True))
            for phase_id in phase_ids:
                services.recompute_map(phase_id=phase_id, full=True)
            count = len(phase_ids)
        else:
            count = services.recompute_dirty_maps()
        self.stdout.write(f"Recomputed {count} opinion map(s).")
