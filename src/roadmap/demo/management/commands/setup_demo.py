from django.core.management import BaseCommand, call_command

from roadmap.demo.build import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, DEMO_SLUG
from roadmap.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Load the roadmap framework and, on an empty database, the demo municipality."

    def handle(self, *args, **options):
        call_command("load_framework", verbosity=options["verbosity"])
        call_command("load_indicators", verbosity=options["verbosity"])
        call_command("load_national_vocabulary", "--shipped", verbosity=options["verbosity"])
        if Municipality.objects.exists():
            self.stdout.write("Municipalities exist already; demo data left as it is.")
        else:
            call_command("build_demo", verbosity=options["verbosity"])
        self.stdout.write(
            self.style.SUCCESS(
                f"\nThe platform is ready at http://127.0.0.1:8000/m/{DEMO_SLUG}/\n"
                f"Sign in as the demo administrator: username '{DEMO_ADMIN_USERNAME}', "
                f"password '{DEMO_ADMIN_PASSWORD}'\n"
                "(also a platform administrator: http://127.0.0.1:8000/admin/)\n"
            )
        )
