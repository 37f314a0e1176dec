"""Ingest files: keep the bytes, decode, parse, and store documents, posts and captions.

One transaction per file, so a failure leaves nothing half-written and other files still go in.
The `ingest` command and the web upload both call `ingest_file` / `ingest_bytes`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Max, QuerySet

from articles import streaming
from articles.assembly import TextAssembler
from articles.decoding import NotText, decode
from articles.models import Caption, Document, Post, SourceFile
from articles.parsing import parse_text
from articles.parsing.model import ParsedDocument, ParsedFile
from sources.outlets import outlet_for

logger = logging.getLogger(__name__)


class Status(StrEnum):
    INGESTED = "ingested"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass
class FileOutcome:
    """What happened to one file; `message` is the one line shown to the user."""

    name: str
    status: Status
    message: str
    source_file: SourceFile | None = None
    documents: int = 0
    posts: int = 0
    captions: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def documents(self) -> int:
        return sum(outcome.documents for outcome in self.outcomes)

    @property
    def posts(self) -> int:
        return sum(outcome.posts for outcome in self.outcomes)

    @property
    def failed(self) -> bool:
        return self.count(Status.FAILED) > 0


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to ingest: each file given, and every non-hidden file under each folder, in name order.
    Missing paths are yielded too, so that they are reported as failures."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                child
                for child in path.rglob("*")
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        else:
            yield path


def ingest_paths(
    paths: Iterable[Path], *, on_outcome: Callable[[FileOutcome], None] | None = None
) -> IngestReport:
    report = IngestReport()
    for path in paths:
        outcome = ingest_file(path)
        report.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return report


def ingest_file(path: Path) -> FileOutcome:
    """Read `path` within the size limit and ingest it; never raises for a bad file."""
    name = str(path)
    try:
        size = path.stat().st_size
        limit = settings.INGEST_MAX_FILE_BYTES
        if size > limit:
            return _failed(
                name,
                f"{size / 2**20:.1f} MB is over the {limit / 2**20:.0f} MB limit per file "
                "(set CLAIMTRACKER_INGEST_MAX_MB to raise it)",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        return _failed(name, "no such file or directory")
    except OSError as exc:
        return _failed(name, f"cannot read it: {exc.strerror or exc}")
    try:
        return ingest_bytes(raw, name=path.name, shown_as=name)
    except (OperationalError, InterfaceError) as exc:
        # PostgreSQL went away (say, restarted): the file's transaction died with the connection. Drop the
        # broken connection so the next file connects afresh.
        connection.close()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return _failed(
            name,
            f"the database connection was lost while storing it ({reason}); nothing of it was stored; "
            "run the command again",
        )
    except Exception as exc:  # a bug must not stop the other files of a batch
        logger.exception("ingesting %s failed", name)
        return _failed(name, f"internal error, nothing was stored: {type(exc).__name__}: {exc}")


def ingest_bytes(raw: bytes, *, name: str, shown_as: str = "") -> FileOutcome:
    """Store `raw` as a new source file version named `name` unless identical bytes are already stored."""
    shown_as = shown_as or name
    sha256 = hashlib.sha256(raw).hexdigest()
    existing = _without_contents().filter(sha256=sha256).first()
    if existing:
        return _unchanged(shown_as, existing)
    try:
        decoded = decode(raw)
    except NotText as exc:
        return _failed(shown_as, str(exc))
    parsed = parse_text(decoded.text, filename=name)
    try:
        small = streaming.fits_in_row(raw)
        with transaction.atomic():
            _lock_name(name)
            source_file = SourceFile.objects.create(
                original_name=name,
                version=_next_version(name),
                raw=raw if small else b"",  # a bigger file's contents are streamed in next
                sha256=sha256,
                size=len(raw),
                encoding=decoded.encoding,
                text=decoded.text if small else "",
                format=parsed.format,
                reposted_by=parsed.reposted_by,
                warnings=decoded.warnings + parsed.warnings,
            )
            if not small:
                streaming.stream_into_row(source_file, raw=raw, text=decoded.text)
            counts = _store_documents(source_file, parsed)
    except IntegrityError:
        # The same bytes were stored by a concurrent ingest between our check and our insert.
        concurrent = _without_contents().filter(sha256=sha256).first()
        if concurrent:
            return _unchanged(shown_as, concurrent)
        raise
    documents, posts, captions = counts
    for contents in ("raw", "text"):  # deferred from here on, as `_without_contents` leaves them
        del source_file.__dict__[contents]
    version_note = f", version {source_file.version} of {name}" if source_file.version > 1 else ""
    return FileOutcome(
        name=shown_as,
        status=Status.INGESTED,
        message=f"ingested {_plural(documents, 'document')}, {_plural(posts, 'post')}"
        f" ({parsed.format}, {decoded.encoding}{version_note})",
        source_file=source_file,
        documents=documents,
        posts=posts,
        captions=captions,
        warnings=source_file.warnings,
    )


def _store_documents(source_file: SourceFile, parsed: ParsedFile) -> tuple[int, int, int]:
    # Ids, not the documents: all of them at once would hold the file's text over again.
    stored: list[int] = []
    post_count = caption_count = 0
    for position, parsed_document in enumerate(parsed.documents):
        document = _store_document(source_file, position, parsed_document, stored)
        stored.append(document.pk)
        post_count += len(parsed_document.posts)
        caption_count += len(parsed_document.captions)
    return len(stored), post_count, caption_count


def _store_document(
    source_file: SourceFile, position: int, parsed: ParsedDocument, earlier: list[int]
) -> Document:
    source = source_file.text
    assembler = TextAssembler(source)
    post_ranges = []
    for post in parsed.posts:
        pieces = [
            assembler.append(segment, new_block=index == 0) for index, segment in enumerate(post.segments)
        ]
        post_ranges.append((pieces[0][0], pieces[-1][1]) if pieces else (assembler.length, assembler.length))
    if not parsed.posts:
        for segment in parsed.segments:
            assembler.append(segment)

    document = Document.objects.create(
        source_file=source_file,
        position=position,
        kind=parsed.kind,
        title=parsed.title[:500],
        section=parsed.section[:200],
        authors=parsed.authors,
        url=parsed.url,
        outlet=outlet_for(name=parsed.outlet_name, domain=parsed.outlet_domain),
        outlet_provenance=parsed.outlet_provenance,
        syndicated_from=outlet_for(name=parsed.syndicated_from),
        published_on=parsed.published_on,
        published_provenance=parsed.published_provenance,
        standfirst=parsed.standfirst.text(source) if parsed.standfirst else "",
        comments_on_id=earlier[parsed.comments_on] if parsed.comments_on is not None else None,
        text=assembler.text,
        offset_map=assembler.offset_map,
        source_start=parsed.span.start,
        source_end=parsed.span.end,
        warnings=parsed.warnings,
    )
    posts = Post.objects.bulk_create(
        Post(
            document=document,
            position=index,
            depth=post.depth,
            author=post.author[:200],
            likes=post.likes,
            text_start=text_start,
            text_end=text_end,
            source_start=post.span.start,
            source_end=post.span.end,
        )
        for index, (post, (text_start, text_end)) in enumerate(zip(parsed.posts, post_ranges, strict=True))
    )
    for post, parsed_post in zip(posts, parsed.posts, strict=True):
        post.parent = posts[parsed_post.parent] if parsed_post.parent is not None else None
    Post.objects.bulk_update([post for post in posts if post.parent], ["parent"], batch_size=1000)
    Caption.objects.bulk_create(
        Caption(
            document=document,
            position=index,
            text=caption.span.text(source),
            credit=caption.credit[:300],
            source_start=caption.span.start,
            source_end=caption.span.end,
        )
        for index, caption in enumerate(parsed.captions)
    )
    return document


def _without_contents() -> QuerySet[SourceFile]:
    """Source files without their bytes and text: an outcome outlives the ingest (its caller goes on to
    extract, say), and must not keep a whole file in memory, nor load one to say it is unchanged."""
    return SourceFile.objects.defer("raw", "text")


def _lock_name(name: str) -> None:
    """Serialise concurrent ingests of files with the same name, so versions are numbered once each."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"sourcefile:{name}"])


def _next_version(name: str) -> int:
    latest = SourceFile.objects.filter(original_name=name).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def _unchanged(shown_as: str, existing: SourceFile) -> FileOutcome:
    when = existing.ingested_at.strftime("%Y-%m-%d %H:%M")
    return FileOutcome(
        name=shown_as,
        status=Status.UNCHANGED,
        message=f"unchanged: identical to {existing} ingested {when}",
        source_file=existing,
    )


def _failed(name: str, reason: str) -> FileOutcome:
    return FileOutcome(name=name, status=Status.FAILED, message=f"failed: {reason}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
