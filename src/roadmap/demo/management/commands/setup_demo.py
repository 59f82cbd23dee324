from django.core.management import BaseCommand, call_command

from roadmap.demo.build import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, DEMO_SLUG
from roadmap.municipalities.models import Municipality

# A server listening on every address is reached on this machine at the loopback address.
EVERY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}  # noqa: S104 (names them, binds nothing)


class Command(BaseCommand):
    help = "Load the roadmap framework and, on an empty database, the demo municipality."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="the host the server runs on")
        parser.add_argument("--port", default="8000", help="the port the server runs on")

    def handle(self, *args, **options):
        call_command("load_framework", verbosity=options["verbosity"])
        call_command("load_indicators", verbosity=options["verbosity"])
        call_command("load_national_vocabulary", "--shipped", verbosity=options["verbosity"])
        if Municipality.objects.exists():
            self.stdout.write("Municipalities exist already; demo data left as it is.")
        else:
            call_command("build_demo", verbosity=options["verbosity"])
        host = EVERY_ADDRESS.get(options["host"], options["host"])
        site = f"http://{host}:{options['port']}"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nThe platform is ready at {site}/m/{DEMO_SLUG}/\n"
                f"Sign in as the demo administrator: username '{DEMO_ADMIN_USERNAME}', "
                f"password '{DEMO_ADMIN_PASSWORD}'\n"
                f"(also a platform administrator: {site}/admin/)\n"
                "README.md has a tour of the demo with every account.\n"
            )
        )
