from django.contrib import admin

from analysis.models import Event, Evidence, Explanation, Rating


class ExplanationInline(admin.StackedInline):
    model = Explanation
    fields = ["title", "summary", "position", "actors", "keywords"]
    autocomplete_fields = ["actors"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "occurred_on", "place", "created_by"]
    search_fields = ["name", "slug", "place", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_by", "created_at"]
    inlines = [ExplanationInline]


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "position"]
    list_filter = ["event"]
    search_fields = ["title", "summary", "event__name"]
    autocomplete_fields = ["actors"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["claim", "explanation", "stance", "status", "rule", "decided_by", "decided_at"]
    list_filter = ["status", "stance", "explanation__event"]
    search_fields = ["claim__headline", "claim__content_text", "explanation__title", "rule"]
    list_select_related = ["claim", "explanation", "decided_by"]
    raw_id_fields = ["claim"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = [
        "claim",
        "explanation",
        "analyst",
        "consistency",
        "credibility",
        "relevance",
        "updated_at",
    ]
    list_filter = ["consistency", "explanation__event"]
    search_fields = ["claim__headline", "explanation__title", "analyst__username", "note"]
    list_select_related = ["claim", "explanation", "analyst"]
    raw_id_fields = ["claim"]
