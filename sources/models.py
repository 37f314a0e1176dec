from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


class OutletQuerySet(models.QuerySet):
    def named(self, name: str) -> "OutletQuerySet":
        """Outlets whose name or one of whose aliases is `name`, ignoring case."""
        return self.filter(models.Q(name__iexact=name) | models.Q(aliases__contains=[name.lower()]))


class Outlet(models.Model):
    """A publisher: a newspaper, agency, broadcaster, blog or forum."""

    name = models.CharField(max_length=200)
    # Other names the same publisher goes by ("WSJ" for The Wall Street Journal), stored lower-case.
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    domain = models.CharField(max_length=253, blank=True, help_text="e.g. aljazeera.com, without www.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutletQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="outlet_name_unique_ci"),
            models.UniqueConstraint(
                "domain", condition=~models.Q(domain=""), name="outlet_domain_unique_when_known"
            ),
        ]
        indexes = [
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="outlet_name_trgm"),
            GinIndex(fields=["aliases"], name="outlet_aliases_gin"),
        ]

    def __str__(self) -> str:
        return self.name


class ActorQuerySet(models.QuerySet):
    def active(self) -> "ActorQuerySet":
        """Actors not merged into another: the ones lists, the picker and new claims use."""
        return self.filter(merged_into__isnull=True)


class Actor(models.Model):
    """Someone who says things: a person, an organisation, a government, a media outlet or a group."""

    class Kind(models.TextChoices):
        PERSON = "person", "person"
        ORGANISATION = "organisation", "organisation"
        GOVERNMENT = "government", "government"
        MEDIA = "media", "media"
        GROUP = "group", "group"

    name = models.CharField(max_length=200, help_text="The name shown everywhere, e.g. “Vladimir Putin”.")
    short_name = models.CharField(max_length=80, blank=True, help_text="For headlines, e.g. “Putin”.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    affiliation = models.CharField(
        max_length=300,
        blank=True,
        help_text="Role and organisation, e.g. “head of Central Asia Due Diligence”.",
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
        help_text="The larger body this one belongs to (ISIS-K is a branch of Islamic State).",
    )
    outlet = models.OneToOneField(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, help_text="For media actors."
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
        help_text="Set by a merge (see ActorMerge): this actor's claims and aliases now belong there.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="actor_name_unique_ci")]
        indexes = [GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="actor_name_trgm")]

    def __str__(self) -> str:
        return self.name

    @property
    def headline_name(self) -> str:
        return self.short_name or self.name

    def current(self) -> "Actor":
        """The actor that stands for this one now: itself, or the end of its chain of merges."""
        actor = self
        while actor.merged_into_id is not None:
            actor = actor.merged_into
        return actor


class ActorAlias(models.Model):
    """Another way the text names an actor. `key` is the normalised form that lookups compare."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    # Derived from `alias` by clean(), never typed: blank only until then.
    key = models.CharField(
        max_length=200, unique=True, blank=True, editable=False, help_text="One actor per normalised alias."
    )

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "actor aliases"
        indexes = [GinIndex(fields=["key"], opclasses=["gin_trgm_ops"], name="actor_alias_key_trgm")]

    def __str__(self) -> str:
        return f"{self.alias} → {self.actor}"

    def clean(self) -> None:
        """Derive the lookup key from the alias as typed, and refuse a key that names another actor."""
        from sources.actors import alias_key

        self.key = alias_key(self.alias)
        taken = ActorAlias.objects.filter(key=self.key).exclude(pk=self.pk).select_related("actor").first()
        if taken:
            raise ValidationError({"alias": f"“{self.alias}” already names {taken.actor}."})


class ActorMergeQuerySet(models.QuerySet):
    def standing(self) -> "ActorMergeQuerySet":
        """Merges not undone."""
        return self.filter(undone_at__isnull=True)


class ActorMerge(models.Model):
    """One actor merged into another, with exactly what moved, so the merge can be undone row for row."""

    merged = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="merges")
    into = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="merges_received")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    claim_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    # The SPEAKER_MERGED ClaimChange rows the merge wrote; undo checks each is still its claim's latest.
    change_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    alias_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    link_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ActorMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged} → {self.into}{' (undone)' if self.undone_at else ''}"
