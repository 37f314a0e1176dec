"""The original file around a position: where a claim's words stand in what was ingested, verbatim."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Value
from django.db.models.functions import Length, Replace, Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.models import SourceFile

CONTEXT_CHARS = 3000  # shown before and after the marked passage


@dataclass(frozen=True)
class SourceWindow:
    before: str
    marked: str
    after: str
    start: int  # offset of `before`'s first character in the file's text
    line: int  # line number (from 1) of the marked passage's first character
    length: int  # of the whole text

    @property
    def end(self) -> int:
        return self.start + len(self.before) + len(self.marked) + len(self.after)


def source_window(source_file_id: int, start: int, end: int) -> SourceWindow:
    """The slice of the file's decoded text around [start, end), cut by the database, so a large file is
    never loaded whole for one passage."""
    start = max(0, start)
    end = max(start, end)
    window_start = max(0, start - CONTEXT_CHARS)
    head = Substr("text", 1, start) if start else Value("")
    row = (
        SourceFile.objects.filter(pk=source_file_id)
        .annotate(
            window=Substr("text", window_start + 1, end + CONTEXT_CHARS - window_start),
            length=Length("text"),
            newlines=Length(head) - Length(Replace(head, Value("\n"), Value(""))),
        )
        .values("window", "length", "newlines")
        .first()
    )
    if row is None or start > row["length"]:
        raise Http404("no such file or position")
    text, cut = row["window"], start - window_start
    return SourceWindow(
        before=text[:cut],
        marked=text[cut : cut + end - start],
        after=text[cut + end - start :],
        start=window_start,
        line=row["newlines"] + 1,
        length=row["length"],
    )


def _offset(request: HttpRequest, name: str, default: int) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else default


@require_GET
def source_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The ingested file as it was decoded, with the passage `start`–`end` (character offsets) marked."""
    source = SourceFile.objects.defer("raw", "text").filter(pk=pk).first()
    if source is None:
        raise Http404("no such file")
    start = _offset(request, "start", 0)
    window = source_window(pk, start, _offset(request, "end", start))
    return render(request, "articles/source_file.html", {"source": source, "window": window})
