from django.core.management import BaseCommand

from roadmap.participation.activity_services import rebuild_process_activity
from roadmap.participation.models import Process


class Command(BaseCommand):
    help = (
        "Recount the inclusion figures of processes from their contributions (after loading "
        "contributions in bulk, past the services that keep the figures up to date)."
    )

    def add_arguments(self, parser):
        parser.add_argument("process_ids", nargs="*", type=int, help="default: every process")

    def handle(self, *args, **options):
        ids = options["process_ids"] or list(Process.objects.values_list("pk", flat=True))
        rebuild_process_activity(ids)
        self.stdout.write(f"Recounted the figures of {len(ids)} process(es).")
