"""Django settings for the harnesses: the parsers import app modules, which need a configured Django."""

from __future__ import annotations

import os


def django_ready() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings")
    import django

    django.setup()
