from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from articles.models import Caption, Document, Post, SourceFile, UploadBatch, UploadItem, file_content


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ["position", "kind", "title", "outlet", "published_on"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "version", "format", "encoding", "size", "document_count", "ingested_at"]
    list_filter = ["format", "encoding"]
    search_fields = ["original_name", "sha256", "reposted_by"]
    readonly_fields = [f.name for f in SourceFile._meta.fields if f.name != "raw"]
    exclude = ["raw"]
    inlines = [DocumentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    @admin.display(ordering="document_count", description="documents")
    def document_count(self, obj: SourceFile) -> int:
        return obj.document_count


class PostInline(admin.TabularInline):
    model = Post
    fk_name = "document"
    fields = ["position", "depth", "parent", "likes", "author", "excerpt"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="text")
    def excerpt(self, obj: Post) -> str:
        return obj.text[:120]


class CaptionInline(admin.TabularInline):
    model = Caption
    fields = ["position", "text", "credit"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class WithoutFileContent:
    """Admin lists that name a document's source file without loading the file's bytes and text."""

    file_relation = "source_file"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer(*file_content(self.file_relation))


@admin.register(Document)
class DocumentAdmin(WithoutFileContent, admin.ModelAdmin):
    list_display = ["title", "kind", "outlet", "section", "published_on", "published_provenance", "source"]
    list_filter = ["kind", "published_provenance", "outlet"]
    list_select_related = ["outlet", "source_file"]
    search_fields = ["title", "section", "authors", "url", "outlet__name"]
    date_hierarchy = "published_on"
    readonly_fields = [
        "source_file",
        "position",
        "source_start",
        "source_end",
        "offset_map",
        "search",
        "created_at",
    ]
    inlines = [CaptionInline, PostInline]

    @admin.display(ordering="source_file__original_name")
    def source(self, obj: Document) -> str:
        return format_html("{} <small>[{}:{}]</small>", obj.source_file, obj.source_start, obj.source_end)


@admin.register(Post)
class PostAdmin(WithoutFileContent, admin.ModelAdmin):
    file_relation = "document__source_file"
    list_display = ["__str__", "depth", "likes", "author"]
    list_select_related = ["document__source_file"]
    search_fields = ["author", "document__title"]
    raw_id_fields = ["document", "parent"]


@admin.register(Caption)
class CaptionAdmin(WithoutFileContent, admin.ModelAdmin):
    file_relation = "document__source_file"
    list_display = ["text", "credit", "document"]
    list_select_related = ["document__source_file"]
    search_fields = ["text", "credit"]
    raw_id_fields = ["document"]


class UploadItemInline(admin.TabularInline):
    model = UploadItem
    fields = ["name", "size", "state", "reason", "documents", "documents_extracted", "claims", "source_file"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(UploadBatch)
class UploadBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "origin", "created_by", "created_at"]
    list_filter = ["origin"]
    search_fields = ["items__name", "created_by__username"]
    readonly_fields = ["origin", "created_by", "created_at"]
    inlines = [UploadItemInline]


@admin.register(UploadItem)
class UploadItemAdmin(admin.ModelAdmin):
    """Upload progress as the workers record it; the staged bytes stay out of the page."""

    list_display = ["name", "batch", "state", "documents", "documents_extracted", "claims", "updated_at"]
    list_filter = ["state"]
    list_select_related = ["batch"]
    search_fields = ["name", "sha256", "reason"]
    exclude = ["raw"]
    readonly_fields = [field.name for field in UploadItem._meta.fields if field.name != "raw"]
