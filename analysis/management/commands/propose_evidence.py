"""`manage.py propose_evidence [--event SLUG]`: run the proposal rules for one event or all of them."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.models import Event
from analysis.proposals import propose_evidence


class Command(BaseCommand):
    help = "Propose claims as evidence for or against each explanation of an event (or of every event)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--event", help="the event's slug; every event without it")

    def handle(self, *args, event: str | None, **options) -> None:
        events = Event.objects.all()
        if event is not None:
            events = events.filter(slug=event)
            if not events.exists():
                raise CommandError(f"No event has the slug {event!r}.")
        for each in events:
            self.stdout.write(f"{each.slug}: {propose_evidence(each)} new proposals")
