"""Find or create the outlet a document names, recognising the usual short names of known publishers."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from sources.models import Outlet

KNOWN_OUTLETS_FILE = Path(settings.BASE_DIR) / "fixtures" / "outlets.json"


@cache
def known_outlets() -> list[dict]:
    """Publishers whose names, aliases and domains we know in advance (fixtures/outlets.json)."""
    return json.loads(KNOWN_OUTLETS_FILE.read_text(encoding="utf-8"))


def normalise_domain(domain: str) -> str:
    return domain.strip().lower().removeprefix("www.")


def outlet_for(*, name: str = "", domain: str = "") -> Outlet | None:
    """The outlet called `name` or serving `domain`, created on first sight; None when both are empty."""
    name, domain = name.strip(), normalise_domain(domain)
    if not name and not domain:
        return None
    existing = _find(name, domain)
    if existing:
        return existing
    known = _known_entry(name, domain)
    if known:
        name, domain = known["name"], known["domain"]
        aliases = [alias.lower() for alias in known["aliases"]]
    else:
        name, aliases = name or domain, []
    try:
        with transaction.atomic():
            return Outlet.objects.create(name=name, domain=domain, aliases=aliases)
    except IntegrityError:  # created meanwhile by a concurrent ingest, or the domain belongs to another name
        return _find(name, domain) or Outlet.objects.get(domain=domain)


def _find(name: str, domain: str) -> Outlet | None:
    if domain:
        outlet = Outlet.objects.filter(domain=domain).first()
        if outlet:
            return outlet
    return Outlet.objects.named(name).first() if name else None


def _known_entry(name: str, domain: str) -> dict | None:
    wanted = name.lower()
    for entry in known_outlets():
        if domain and (domain == entry["domain"] or domain.endswith("." + entry["domain"])):
            return entry
        if wanted and (wanted == entry["name"].lower() or wanted in entry["aliases"]):
            return entry
    return None
