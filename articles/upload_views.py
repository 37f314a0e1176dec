"""The upload page: editors hand in files (or .zip archives of them) and watch the workers process them."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from articles.models import UploadBatch, UploadItem
from articles.tasks import enqueue_batch
from articles.uploads import Limits, UploadRefused, files_from_uploads, megabytes, stage_batch

RECENT_BATCHES = 10


@login_required
@permission_required("articles.add_sourcefile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a valid upload is staged, enqueued and shown on its own batch page."""
    limits = Limits.from_settings()
    error = ""
    if request.method == "POST":
        uploads = [(f.name, f.size, f) for f in request.FILES.getlist("files")]
        try:
            files = files_from_uploads(uploads, limits)
        except UploadRefused as exc:
            error = str(exc)
        else:
            with transaction.atomic():
                batch = stage_batch(files, by=request.user, origin=UploadBatch.Origin.WEB)
                enqueue_batch(batch)
            return redirect("upload-batch", pk=batch.pk)
    return render(
        request,
        "articles/upload.html",
        _page_context(request, limits, error=error),
        status=422 if error else 200,
    )


@login_required
@permission_required("articles.add_sourcefile", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def upload_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch's files and their progress; htmx polls the status fragment until every file is finished."""
    batch = get_object_or_404(UploadBatch.objects.select_related("created_by"), pk=pk)
    context = {"batch": batch, **_batch_status(batch)}
    if request.htmx:
        return render(request, "articles/upload.html#batch-status", context)
    return render(
        request, "articles/upload.html", {**_page_context(request, Limits.from_settings()), **context}
    )


def _batch_status(batch: UploadBatch) -> dict:
    items = list(batch.items.defer("raw").select_related("source_file"))
    unfinished = sum(1 for item in items if not item.finished)
    return {
        "items": items,
        "unfinished": unfinished,
        "done": sum(1 for item in items if item.state == UploadItem.State.DONE),
        "failed": sum(1 for item in items if item.state == UploadItem.State.FAILED),
        "totals": {
            "documents": sum(item.documents for item in items),
            "posts": sum(item.posts for item in items),
            "claims": sum(item.claims for item in items),
        },
    }


def _page_context(request: HttpRequest, limits: Limits, *, error: str = "") -> dict:
    return {
        "error": error,
        "max_files": limits.max_files,
        "max_file_size": megabytes(limits.max_file_bytes),
        "max_total_size": megabytes(limits.max_total_bytes),
        "recent": UploadBatch.objects.for_user(request.user)[:RECENT_BATCHES],
    }
