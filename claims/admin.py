from django.contrib import admin
from django.utils.html import format_html, format_html_join

from claims.models import Claim, ClaimChange, ClaimCluster, ClaimLink, ClaimSpan, ExtractionRun, ReviewLease
from claims.passages import passage_pieces


class RecordedInWorkspace:
    """Claims, spans, links and history change only through the workspace, which records every change
    with its author and checks versions; the admin shows them read-only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClaimSpanInline(RecordedInWorkspace, admin.TabularInline):
    model = ClaimSpan
    fields = ["role", "start", "end", "text"]
    readonly_fields = ["text"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim__document")

    @admin.display(description="text")
    def text(self, span: ClaimSpan) -> str:
        return span.claim.document.text[span.start : span.end]


@admin.register(Claim)
class ClaimAdmin(RecordedInWorkspace, admin.ModelAdmin):
    list_display = [
        "headline",
        "speaker",
        "kind",
        "polarity",
        "is_direct_quote",
        "said_on",
        "status",
        "document",
    ]
    list_filter = ["status", "kind", "polarity", "is_direct_quote", "said_on_source", "extractor_version"]
    list_select_related = ["speaker", "document"]
    search_fields = ["headline", "speaker_text", "content_text", "speaker__name"]
    date_hierarchy = "said_on"
    autocomplete_fields = ["speaker"]
    raw_id_fields = ["document", "post"]
    readonly_fields = ["passage", "extractor_version", "confidence", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "passage", "status"]}),
        (
            "Attribution",
            {"fields": ["speaker", "speaker_text", "cue_lemma", "kind", "polarity", "is_direct_quote"]},
        ),
        ("Said on", {"fields": ["said_on", "said_on_source", "said_on_text", "said_on_precision"]}),
        ("Provenance", {"fields": ["document", "post", "sentence_start", "sentence_end", "content_text"]}),
        ("Extraction", {"fields": ["extractor_version", "confidence", "created_at", "updated_at"]}),
    ]
    inlines = [ClaimSpanInline]

    class Media:
        css = {"all": ["css/admin-claims.css"]}

    @admin.display(description="passage")
    def passage(self, claim: Claim) -> str:
        """The sentence with source, cue and content marked, and where it sits in the source file."""
        marked = format_html_join(
            "",
            '<span class="{}">{}</span>',
            ((f"span-{piece.role}" if piece.role else "", piece.text) for piece in passage_pieces(claim)),
        )
        where = claim.document.source_offset(claim.sentence_start)
        return format_html(
            '<p class="passage">{}</p><p><small>source in bold, cue underlined, content shaded — {}, '
            "character {}</small></p>",
            marked,
            claim.document.source_file,
            where,
        )


@admin.register(ExtractionRun)
class ExtractionRunAdmin(admin.ModelAdmin):
    list_display = ["document", "extractor_version", "claims_created", "finished_at"]
    list_filter = ["extractor_version"]
    list_select_related = ["document"]


@admin.register(ClaimSpan)
class ClaimSpanAdmin(RecordedInWorkspace, admin.ModelAdmin):
    list_display = ["claim", "role", "start", "end"]
    list_filter = ["role"]
    list_select_related = ["claim"]
    search_fields = ["claim__headline"]
    raw_id_fields = ["claim"]


@admin.register(ClaimLink)
class ClaimLinkAdmin(RecordedInWorkspace, admin.ModelAdmin):
    list_display = [
        "claim",
        "kind",
        "target_claim",
        "target_actor",
        "target_document",
        "url",
        "created_by",
        "removed_at",
    ]
    list_filter = ["kind"]
    list_select_related = ["claim", "target_claim", "target_actor", "target_document", "created_by"]
    search_fields = ["claim__headline", "target_claim__headline", "note", "url"]


@admin.register(ClaimChange)
class ClaimChangeAdmin(RecordedInWorkspace, admin.ModelAdmin):
    list_display = ["at", "claim", "action", "user", "version"]
    list_filter = ["action"]
    list_select_related = ["claim", "user"]
    search_fields = ["claim__headline", "user__username"]


@admin.register(ClaimCluster)
class ClaimClusterAdmin(RecordedInWorkspace, admin.ModelAdmin):
    list_display = ["pk", "created_at"]
    search_fields = ["claims__headline"]


@admin.register(ReviewLease)
class ReviewLeaseAdmin(admin.ModelAdmin):
    list_display = ["claim", "user", "expires_at"]
    list_select_related = ["claim", "user"]
    search_fields = ["claim__headline", "user__username"]
