from django.contrib import admin
from django.db.models import Count

from sources.models import Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "aliases", "document_count"]
    search_fields = ["name", "domain", "aliases"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    @admin.display(ordering="document_count", description="documents")
    def document_count(self, obj: Outlet) -> int:
        return obj.document_count
