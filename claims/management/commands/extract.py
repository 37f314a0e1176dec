"""`manage.py extract`: attributed claims for stored documents, or scorer JSONL for a folder of texts."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from articles.models import Document
from articles.tasks import pending_chunks
from claims.extraction import EXTRACTOR_VERSION
from claims.extraction.evaluate import extract_dir_to_jsonl
from claims.services import ExtractionReport, extract_claims


class Command(BaseCommand):
    help = (
        "Extract claims from every document not yet extracted by this extractor version (or --document ID), "
        "or, with --text-dir and --jsonl, write attributions of plain .txt files for the scorer without "
        "touching the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--document", type=int, action="append", help="only this document id (repeatable)"
        )
        parser.add_argument(
            "--source-file",
            type=int,
            action="append",
            help="only documents of this source file id (repeatable)",
        )
        parser.add_argument("--text-dir", type=Path, help="folder of .txt files to extract from, no database")
        parser.add_argument("--jsonl", type=Path, help="where to write the scorer's JSONL (with --text-dir)")

    def handle(
        self,
        *args,
        document: list[int] | None,
        source_file: list[int] | None,
        text_dir: Path | None,
        jsonl: Path | None,
        **options,
    ) -> None:
        if text_dir or jsonl:
            if not (text_dir and jsonl):
                raise CommandError("--text-dir and --jsonl go together")
            if not text_dir.is_dir():
                raise CommandError(f"{text_dir}: not a folder")
            count = extract_dir_to_jsonl(text_dir, jsonl)
            self.stdout.write(f"{count} documents from {text_dir} → {jsonl} (extractor {EXTRACTOR_VERSION})")
            return
        documents = Document.objects.all()
        if document:
            documents = documents.filter(pk__in=document)
        if source_file:
            documents = documents.filter(source_file__in=source_file)
        # A chunk at a time, as the workers do: a big file's documents are never all in memory, and spaCy's
        # memory grows with the text it parses in one batch.
        chunks = list(pending_chunks(documents, max_chars=settings.EXTRACT_TASK_MAX_CHARS))
        pending = sum(len(chunk) for chunk in chunks)
        report = ExtractionReport()
        with tqdm(total=pending, unit="doc", disable=None if pending > 1 else True) as bar:
            for chunk in chunks:
                done = extract_claims(
                    list(Document.objects.filter(pk__in=chunk).order_by("pk")),
                    on_batch=lambda stored: bar.update(stored.documents + stored.skipped),
                )
                report.documents += done.documents
                report.skipped += done.skipped
                report.claims += done.claims
        summary = f"extractor {EXTRACTOR_VERSION}: {report.claims} claims from {report.documents} documents"
        if report.skipped:
            summary += f" ({report.skipped} meanwhile extracted by another process)"
        self.stdout.write(summary)
