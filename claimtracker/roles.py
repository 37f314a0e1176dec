"""The groups people work in, and what each may do. Applied idempotently by `setup_demo` and tests."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

OUR_APPS = ["articles", "claims", "sources", "analysis"]

# Editors tag and correct attribution: claims, their spans and links, and the actors who speak.
EDITOR_GRANTS = [
    "add_claim",
    "change_claim",
    "add_claimspan",
    "change_claimspan",
    "delete_claimspan",
    "add_claimlink",
    "change_claimlink",
    "add_actor",
    "change_actor",
    "add_actoralias",
    "change_actoralias",
    "add_sourcefile",
    "change_document",
    "add_outlet",
    "change_outlet",
]

# Analysts also build the comparison: events, explanations, the evidence under them and their ratings.
ANALYST_GRANTS = [
    f"{action}_{model}"
    for model in ("event", "explanation", "evidence", "rating")
    for action in ("add", "change")
]

# Per role, the permission codename prefixes granted on every model of our apps, plus extra codenames.
ROLES: dict[str, dict[str, list[str]]] = {
    "reader": {"actions": ["view"], "extra": []},
    "editor": {"actions": ["view"], "extra": EDITOR_GRANTS},
    "analyst": {"actions": ["view"], "extra": [*EDITOR_GRANTS, *ANALYST_GRANTS]},
}


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and set exactly their permissions."""
    groups = {}
    for name, grant in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        by_action = Q()
        for action in grant["actions"]:
            by_action |= Q(codename__startswith=f"{action}_")
        permissions = Permission.objects.filter(content_type__app_label__in=OUR_APPS).filter(
            by_action | Q(codename__in=grant["extra"])
        )
        group.permissions.set(permissions)
        groups[name] = group
    return groups
