from django.core.management import BaseCommand, CommandError

from roadmap.core.datafiles import DataFileError
from roadmap.demo.build import DEMO_SLUG, DemoExistsError, build_demo


class Command(BaseCommand):
    help = "Build the demo municipalities (Fjordvik and its neighbour) with a full portfolio."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo municipalities and demo accounts first, then rebuild them "
            "(only once every demo data file has been read without problems).",
        )

    def handle(self, *args, **options):
        try:
            build_demo(reset=options["reset"])
        except (DemoExistsError, DataFileError) as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 1:
            self.stdout.write(f"Built the demo municipality '{DEMO_SLUG}'.")
