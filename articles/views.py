from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from articles.models import Document
from claimtracker.search import MARK_END, MARK_START, highlighted

DOCUMENTS_PER_PAGE = 25


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """All documents, newest file first, or those matching a full-text search ranked by relevance."""
    query = request.GET.get("q", "").strip()
    documents = Document.objects.select_related("outlet", "source_file", "comments_on").annotate(
        post_count=Count("posts")
    )
    if query:
        search = SearchQuery(query, search_type="websearch", config="english")
        documents = (
            documents.filter(search=search)
            .annotate(
                rank=SearchRank(F("search"), search),
                snippet=SearchHeadline(
                    "text", search, config="english", start_sel=MARK_START, stop_sel=MARK_END, max_fragments=2
                ),
            )
            .order_by("-rank", "pk")
        )
    else:
        documents = documents.order_by("-source_file__ingested_at", "source_file", "position")
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for document in page:
        if query:
            document.snippet = highlighted(document.snippet)
    context = {"page": page, "query": query, "page_query": urlencode({"q": query}) if query else ""}
    return render(request, "articles/document_list.html", context)


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The reader: prose by paragraph, captions apart, posts as a tree, all traceable to the source file."""
    document = get_object_or_404(
        Document.objects.select_related("outlet", "syndicated_from", "source_file", "comments_on"), pk=pk
    )
    context = {
        "document": document,
        "paragraphs": [] if document.posts.exists() else document.text.split("\n\n"),
        "posts": document.posts.select_related("parent"),
        "captions": document.captions.all(),
        "comment_threads": document.comment_threads.annotate(post_count=Count("posts")),
        "claims": document.claims.exclude(status="rejected")
        .select_related("speaker")
        .order_by("sentence_start"),
    }
    return render(request, "articles/document_detail.html", context)
