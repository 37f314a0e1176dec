"""`manage.py setup_demo`: roles, demo accounts, the seed corpus and its claims. Running it again changes
nothing."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from analysis.demo import ensure_crocus_event
from analysis.models import Evidence
from claimtracker.roles import ensure_roles

DEMO_ACCOUNTS = [  # (username, password, role): local demo only, printed on every run
    ("reader", "reader-demo", "reader"),
    ("editor", "editor-demo", "editor"),
    ("analyst", "analyst-demo", "analyst"),
]


class Command(BaseCommand):
    help = (
        "Create the role groups and demo accounts, ingest fixtures/seeds, extract its claims and set up"
        " the Crocus event."
    )

    def handle(self, *args, **options) -> None:
        groups = ensure_roles()
        User = get_user_model()
        for username, password, role in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(groups[role])
            state = "created" if created else "exists"
            self.stdout.write(f"demo {role:8} account ({state}): {username} / {password}")
        call_command(
            "ingest", Path(settings.BASE_DIR) / "fixtures" / "seeds", verbosity=0, stdout=self.stdout
        )
        # Documents stored before the current extractor version get its claims (editors' work is kept).
        call_command("extract", stdout=self.stdout)
        analyst = User.objects.get(username="analyst")
        event = ensure_crocus_event(analyst)
        confirmed = Evidence.objects.filter(
            explanation__event=event, status=Evidence.Status.CONFIRMED
        ).count()
        self.stdout.write(
            f"demo event: {event.name} ({event.explanations.count()} explanations,"
            f" {confirmed} confirmed evidence) at /events/{event.slug}/"
        )
