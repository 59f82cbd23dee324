from django.core.management.base import BaseCommand

from roadmap.participation.notifications.services import send_daily_digest


class Command(BaseCommand):
    help = "E-mail each daily-digest user their notifications not yet e-mailed (run once a day)."

    def handle(self, *args, **options):
        sent = send_daily_digest()
        self.stdout.write(f"Sent {sent} digest e-mail(s).")
