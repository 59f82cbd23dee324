from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from roadmap.indicators.vocabulary import (
    VocabularyDataError,
    load_national_vocabulary,
    read_data,
    read_turtle,
)


class Command(BaseCommand):
    help = (
        "Link the U4SSC catalogue to KS's national vocabulary (idempotent; needs the catalogue) "
        "and report every difference between KS and ITU."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--file",
            type=Path,
            help="the vocabulary in Turtle (default: settings.NATIONAL_VOCABULARY_FILE)",
        )
        source.add_argument(
            "--shipped",
            action="store_true",
            help="use the facts kept in indicators/data/national_vocabulary.yaml",
        )

    def handle(self, *args, **options):
        path = None if options["shipped"] else options["file"] or settings.NATIONAL_VOCABULARY_FILE
        if path is not None and not path.is_file():
            raise CommandError(
                f"The vocabulary file {path} does not exist. Give one with --file, set "
                "NATIONAL_VOCABULARY_FILE, or load the shipped facts with --shipped."
            )
        try:
            report = load_national_vocabulary(
                None if path is None else read_turtle(path), read_data()
            )
        except VocabularyDataError as error:
            raise CommandError(str(error)) from error
        if not options["verbosity"]:
            return
        self.stdout.write(
            f"National vocabulary from {path or 'the shipped facts'}: {report.created} concepts "
            f"linked, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.removed} removed."
        )
        self.stdout.write(f"{len(report.differences)} differences between KS and ITU:")
        for difference in report.differences:
            self.stdout.write(f"- {difference}")
        if report.undocumented:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.undocumented)} differences are not in the alias table "
                    "(indicators/data/national_vocabulary.yaml)."
                )
            )
