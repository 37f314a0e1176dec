import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.models import Document, file_content
from articles.reading import reading_blocks
from claims.editing import create_claim
from claims.models import Claim
from claims.spans import SpanError, clean_spans, parse_span_inputs
from claimtracker.pagecache import shared_page
from claimtracker.search import MARK_END, MARK_START, highlighted
from sources.actors import actor_from_picker

DOCUMENTS_PER_PAGE = 25

# A document's own big columns, which a list of documents or a link to one never shows.
DOCUMENT_TEXT = ("text", "offset_map", "search")


@shared_page
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """All documents, newest file first, or those matching a full-text search ranked by relevance."""
    query = request.GET.get("q", "").strip()
    documents = (
        Document.objects.select_related("outlet", "source_file", "comments_on")
        .defer(
            *file_content("source_file"),
            *DOCUMENT_TEXT,
            *(f"comments_on__{field}" for field in DOCUMENT_TEXT),
        )
        .annotate(post_count=Count("posts"))
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


class NewClaimForm(forms.Form):
    """What an editor states about a claim marked in the reader, besides its pieces."""

    kind = forms.ChoiceField(choices=Claim.Kind.choices, initial=Claim.Kind.STATEMENT)
    polarity = forms.ChoiceField(
        choices=Claim.Polarity.choices, initial=Claim.Polarity.ASSERT, widget=forms.RadioSelect
    )
    is_direct_quote = forms.TypedChoiceField(
        label="Wording",
        choices=[("", "paraphrase"), ("quote", "direct quote")],
        coerce=bool,
        empty_value=False,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    said_on = forms.DateField(
        label="Said on", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _draft_pieces(document: Document, values: list[str]) -> list[tuple[str, int, int, str]]:
    """The posted pieces that parse, with their text, so a refused draft keeps its chips."""
    pieces = []
    for value in values:
        try:
            [(role, start, end)] = parse_span_inputs([value])
        except SpanError:
            continue
        pieces.append((role, start, end, document.text[start:end]))
    return pieces


def _reader_context(document: Document, *, form: NewClaimForm, pieces: list | None = None) -> dict:
    posts = list(document.posts.select_related("parent"))
    return {
        "document": document,
        "thread": bool(posts),
        "blocks": reading_blocks(document, posts),
        "captions": document.captions.all(),
        "comment_threads": document.comment_threads.annotate(post_count=Count("posts")),
        "claims": document.claims.visible().order_by("sentence_start", "pk"),
        "form": form,
        "pieces": pieces or [],
    }


def _get_document(pk: int) -> Document:
    return get_object_or_404(
        Document.objects.select_related("outlet", "syndicated_from", "source_file", "comments_on").defer(
            *file_content("source_file"), *(f"comments_on__{field}" for field in DOCUMENT_TEXT)
        ),
        pk=pk,
    )


@shared_page
@require_GET
@vary_on_headers("HX-Request")
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The reader: prose by paragraph or posts as a tree, every visible claim highlighted in place, and a
    panel beside the text for the claims (and, for editors, a new claim marked by selecting text)."""
    document = _get_document(pk)
    context = _reader_context(document, form=NewClaimForm())
    if request.htmx:  # after a change in the claim panel: the text and the claim list, out of band
        return render(request, "articles/document_detail.html#claims-redrawn", {**context, "oob": True})
    return render(request, "articles/document_detail.html", context)


@require_POST
@login_required
@permission_required("claims.add_claim", raise_exception=True)
@vary_on_headers("HX-Request")
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Store a claim an editor marked in the reader. htmx gets a fresh draft form, the reading area and the
    claim index out of band, and a `claim-created` event that opens the new claim's panel; a refused draft
    comes back with its message and its pieces (422)."""
    document = _get_document(pk)
    form = NewClaimForm(request.POST)
    values = request.POST.getlist("span")
    try:
        # Spans are checked before the speaker, so a refused draft never leaves a new actor behind.
        spans = clean_spans(document.text, parse_span_inputs(values))
        if form.is_valid():
            speaker = actor_from_picker(request.POST, "speaker")
            claim = create_claim(
                document, user=request.user, spans=spans, speaker=speaker, **form.cleaned_data
            )
    except SpanError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        form.add_error(None, error)
    if not form.is_valid():
        context = _reader_context(document, form=form, pieces=_draft_pieces(document, values))
        template = (
            "articles/document_detail.html#claim-draft" if request.htmx else "articles/document_detail.html"
        )
        return render(request, template, context, status=422)
    if not request.htmx:
        messages.success(request, f"Claim saved: {claim.headline}")
        return redirect("document-detail", pk=document.pk)
    response = render(
        request,
        "articles/document_detail.html#claim-created",
        {**_reader_context(document, form=NewClaimForm()), "oob": True},
    )
    response["HX-Trigger-After-Swap"] = json.dumps({"claim-created": {"id": claim.pk}})
    return response
