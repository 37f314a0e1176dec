from django.contrib import admin
from django.db.models import Count

from sources.models import Actor, ActorAlias, ActorMerge, Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "aliases", "document_count"]
    search_fields = ["name", "domain", "aliases"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    @admin.display(ordering="document_count", description="documents")
    def document_count(self, obj: Outlet) -> int:
        return obj.document_count


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    fields = ["alias", "key"]
    readonly_fields = ["key"]
    extra = 1


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "affiliation", "part_of", "merged_into", "claim_count"]
    list_filter = ["kind"]
    list_select_related = ["part_of", "merged_into"]
    readonly_fields = ["merged_into"]
    search_fields = ["name", "short_name", "aliases__alias", "affiliation"]
    autocomplete_fields = ["part_of", "outlet"]
    inlines = [ActorAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(ordering="claim_count", description="claims")
    def claim_count(self, actor: Actor) -> int:
        return actor.claim_count


@admin.register(ActorAlias)
class ActorAliasAdmin(admin.ModelAdmin):
    """The alias table on its own: which words name which actor."""

    list_display = ["alias", "actor", "key"]
    list_select_related = ["actor"]
    search_fields = ["alias", "key", "actor__name"]
    autocomplete_fields = ["actor"]


@admin.register(ActorMerge)
class ActorMergeAdmin(admin.ModelAdmin):
    """Merges are made and undone on the actor pages (sources.merging); here they are only read."""

    list_display = ["merged", "into", "merged_by", "merged_at", "undone_by", "undone_at"]
    list_select_related = ["merged", "into", "merged_by", "undone_by"]
    search_fields = ["merged__name", "into__name"]
    readonly_fields = [field.name for field in ActorMerge._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
