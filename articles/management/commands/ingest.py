"""`manage.py ingest PATH [PATH ...]`: ingest files and folders, one transaction per file, here and now or
(`--background`) by the workers of the task queue."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from articles.ingest import FileOutcome, IngestReport, Status, expand_paths, ingest_paths
from articles.models import UploadBatch
from articles.tasks import enqueue_batch
from articles.uploads import StagedFile, UploadRefused, read_within_limit, stage_batch


class Command(BaseCommand):
    help = "Ingest article dumps and comment/forum threads (files or folders). Identical bytes are skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to ingest")
        parser.add_argument(
            "--no-extract", action="store_true", help="store the documents without extracting their claims"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="stage the files in the database and leave ingesting and extracting them to the workers "
            "(manage.py db_worker); prints the batch to watch",
        )

    def handle(
        self, *args, paths: list[Path], verbosity: int, no_extract: bool, background: bool, **options
    ) -> None:
        files = list(expand_paths(paths))
        if background:
            if no_extract:
                raise CommandError("--background always extracts; leave out --no-extract")
            self._enqueue(files)
            return
        # The bar goes to stderr and only on a terminal; each file's line goes above it.
        with tqdm(total=len(files), unit="file", disable=None if len(files) > 1 else True) as bar:

            def announce(outcome: FileOutcome) -> None:
                self._announce(outcome, verbosity, bar)
                bar.update()

            report = ingest_paths(files, on_outcome=announce)
        if len(files) > 1 or verbosity > 1:
            self.stdout.write(summary_table(report))
        ingested = [o.source_file for o in report.outcomes if o.status == Status.INGESTED]
        if ingested and not no_extract:
            call_command(
                "extract", source_file=[f.pk for f in ingested], stdout=self.stdout, stderr=self.stderr
            )
        failed = report.count(Status.FAILED)
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) failed")

    def _enqueue(self, files: list[Path]) -> None:
        """Stage readable files as one batch and enqueue it; unreadable ones are reported and left out."""
        staged, problems = [], []
        for path in files:
            try:
                staged.append(StagedFile(name=path.name, raw=read_within_limit(path)))
            except OSError as exc:
                problems.append(f"{path}: failed: {exc.strerror or exc}")
            except UploadRefused as exc:
                problems.append(f"{path}: failed: {exc}")
        for problem in problems:
            self.stderr.write(self.style.ERROR(problem))
        if not staged:
            raise CommandError("nothing to enqueue")
        with transaction.atomic():
            batch = stage_batch(staged, by=None, origin=UploadBatch.Origin.CLI)
            enqueue_batch(batch)
        self.stdout.write(
            self.style.SUCCESS(f"batch {batch.pk}: {len(staged)} file(s) queued for the workers")
            + f"\nWatch it at /upload/{batch.pk}/ on the web app; workers: `make worker` "
            "(or `manage.py db_worker` on any machine with this DATABASE_URL)."
        )
        if problems:
            raise CommandError(f"{len(problems)} of {len(files)} file(s) could not be read")

    def _announce(self, outcome: FileOutcome, verbosity: int, bar: tqdm) -> None:
        stream, style = {
            Status.INGESTED: (self.stdout, self.style.SUCCESS),
            Status.UNCHANGED: (self.stdout, self.style.NOTICE),
            Status.FAILED: (self.stderr, self.style.ERROR),
        }[outcome.status]
        lines = [style(f"{outcome.name}: {outcome.message}")]
        if verbosity > 0:
            lines += [
                self.style.WARNING(f"{outcome.name}: warning: {warning}") for warning in outcome.warnings
            ]
        with bar.external_write_mode():
            for line in lines:
                stream.write(line)


def summary_table(report: IngestReport) -> str:
    """A closing table of what the run did."""
    columns = {
        "files": len(report.outcomes),
        "ingested": report.count(Status.INGESTED),
        "unchanged (skipped)": report.count(Status.UNCHANGED),
        "failed": report.count(Status.FAILED),
        "documents": report.documents,
        "posts": report.posts,
        "captions": sum(outcome.captions for outcome in report.outcomes),
    }
    header = "  ".join(columns)
    values = "  ".join(str(value).rjust(len(name)) for name, value in columns.items())
    rule = "-" * len(header)
    return f"{rule}\n{header}\n{values}\n{rule}"
