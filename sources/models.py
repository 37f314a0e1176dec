from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
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
