from django.core.management import BaseCommand

from roadmap.framework.loader import load_framework


class Command(BaseCommand):
    help = "Load or update the shipped Nordic Smart City Roadmap framework (idempotent)."

    def handle(self, *args, **options):
        release = load_framework()
        if options["verbosity"]:
            self.stdout.write(f"Roadmap framework {release.version} loaded.")
