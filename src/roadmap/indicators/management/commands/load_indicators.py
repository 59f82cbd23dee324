from django.core.management import BaseCommand

from roadmap.indicators.loader import load_indicators


class Command(BaseCommand):
    help = "Load or update the shipped U4SSC indicator catalogue (idempotent; needs the framework)."

    def handle(self, *args, **options):
        release = load_indicators()
        if options["verbosity"]:
            self.stdout.write(f"Indicator catalogue {release.version} loaded.")
