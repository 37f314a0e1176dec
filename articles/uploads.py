"""Files handed in for background ingestion: checked, unpacked from .zip archives and staged in the database.

Everything here runs before any task is enqueued, so a refusal explains itself at once and nothing is half
staged. Content is never judged by the browser's MIME type: ingestion sniffs the bytes when it decodes them.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from articles import streaming
from articles.models import UploadBatch, UploadItem

ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20
# Files that fit in their rows go in this many to an INSERT, which keeps one under 8 MB.
SMALL_FILES_PER_INSERT = 8


class UploadRefused(Exception):
    """The upload as a whole is refused; the message says why, to the person who sent it."""


@dataclass(frozen=True)
class StagedFile:
    name: str
    raw: bytes


@dataclass(frozen=True)
class Limits:
    max_files: int
    max_file_bytes: int
    max_total_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_files=settings.UPLOAD_MAX_FILES,
            max_file_bytes=settings.INGEST_MAX_FILE_BYTES,
            max_total_bytes=settings.UPLOAD_MAX_TOTAL_BYTES,
        )


def megabytes(size: int) -> str:
    """A size as people read it: 25 MB, 1.1 MB, 40 KB, 101 bytes."""
    if size >= 10 * 2**20:
        return f"{size / 2**20:.0f} MB"
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def files_from_uploads(uploads: Iterable[tuple[str, int, IO[bytes]]], limits: Limits) -> list[StagedFile]:
    """The files of an upload, each (name, size, stream), with .zip archives unpacked; or UploadRefused."""
    files: list[StagedFile] = []
    budget = _Budget(limits)
    for name, size, stream in uploads:
        if name.lower().endswith(".zip"):
            budget.spend_archive(name, size)
            files += _unpack(name, stream, budget)
        else:
            budget.check_file(name, size)
            files.append(StagedFile(name=PurePosixPath(name).name, raw=_read(stream, size, name, limits)))
            budget.spend(name, size)
    if not files:
        raise UploadRefused("Choose at least one file to upload.")
    return files


def stage_batch(files: list[StagedFile], *, by: User | None, origin: str) -> UploadBatch:
    """Keep the files' bytes in a new batch, every file queued (enqueueing is the caller's next step).

    Files of up to a piece go in with their rows, a few rows per INSERT; bigger ones are streamed in after
    (binding them all into one INSERT took 1.8 GB to stage the 200 MB a batch may hold)."""
    with transaction.atomic():
        batch = UploadBatch.objects.create(created_by=by, origin=origin)
        items = UploadItem.objects.bulk_create(
            (
                UploadItem(
                    batch=batch,
                    position=position,
                    name=file.name[:255],
                    size=len(file.raw),
                    sha256=hashlib.sha256(file.raw).hexdigest(),
                    raw=file.raw if streaming.fits_in_row(file.raw) else b"",
                )
                for position, file in enumerate(files)
            ),
            batch_size=SMALL_FILES_PER_INSERT,
        )
        for item, file in zip(items, files, strict=True):
            if not streaming.fits_in_row(file.raw):
                streaming.stream_into_row(item, raw=file.raw)
    return batch


def read_within_limit(path: Path) -> bytes:
    """A file's bytes for staging; UploadRefused if it is over the per-file limit, OSError if unreadable."""
    size = path.stat().st_size
    if size > settings.INGEST_MAX_FILE_BYTES:
        raise UploadRefused(
            f"{megabytes(size)} is over the {megabytes(settings.INGEST_MAX_FILE_BYTES)} limit per file "
            "(set CLAIMTRACKER_INGEST_MAX_MB to raise it)"
        )
    return path.read_bytes()


class _Budget:
    """What one upload may still bring: files and bytes, counting unpacked archive entries."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.files = 0
        self.bytes = 0

    def check_file(self, name: str, size: int) -> None:
        if size == 0:
            raise UploadRefused(f"{name} is empty.")
        if size > self.limits.max_file_bytes:
            raise UploadRefused(
                f"{name} is {megabytes(size)}, over the limit of {megabytes(self.limits.max_file_bytes)} "
                "per file."
            )

    def spend_archive(self, name: str, size: int) -> None:
        if size > self.limits.max_total_bytes:
            raise UploadRefused(
                f"{name} is {megabytes(size)}, over the {megabytes(self.limits.max_total_bytes)} limit."
            )

    def spend(self, name: str, size: int) -> None:
        self.files += 1
        self.bytes += size
        if self.files > self.limits.max_files:
            raise UploadRefused(
                f"Too many files: at most {self.limits.max_files} per upload, archives' files included."
            )
        if self.bytes > self.limits.max_total_bytes:
            raise UploadRefused(
                f"Too much at once: at most {megabytes(self.limits.max_total_bytes)} per upload "
                f"(unpacked), and {name} goes over it."
            )


def _read(stream: IO[bytes], size: int, name: str, limits: Limits) -> bytes:
    raw = stream.read(limits.max_file_bytes + 1)
    if len(raw) > limits.max_file_bytes:
        raise UploadRefused(f"{name} is over the limit of {megabytes(limits.max_file_bytes)} per file.")
    return raw


def _unpack(archive_name: str, stream: IO[bytes], budget: _Budget) -> list[StagedFile]:
    """The files of a .zip, refusing anything that could escape, nest or expand beyond the limits."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadRefused(f"{archive_name} is not a readable .zip archive ({exc}).") from exc
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        for info in entries:
            _check_member_name(archive_name, info.filename)
        members = [info for info in entries if not _is_clutter(info.filename)]
        if len(members) > budget.limits.max_files:
            raise UploadRefused(
                f"{archive_name} holds {len(members)} files; at most {budget.limits.max_files} per upload."
            )
        declared = 0
        for info in members:
            where = f"{archive_name}: {info.filename}"
            if info.filename.lower().endswith(".zip"):
                raise UploadRefused(f"{where} is an archive inside the archive; upload it on its own.")
            if info.flag_bits & 0x1:
                raise UploadRefused(f"{where} is encrypted.")
            budget.check_file(where, info.file_size)
            declared += info.file_size
            if declared > budget.limits.max_total_bytes:
                raise UploadRefused(
                    f"{archive_name} unpacks to more than {megabytes(budget.limits.max_total_bytes)}, "
                    "the limit per upload."
                )
        return [
            StagedFile(name=info.filename, raw=_read_member(archive, archive_name, info, budget))
            for info in members
        ]


def _read_member(
    archive: zipfile.ZipFile, archive_name: str, info: zipfile.ZipInfo, budget: _Budget
) -> bytes:
    """Read one entry in chunks, stopping as soon as it outgrows what it declared (a zip bomb lies)."""
    where = f"{archive_name}: {info.filename}"
    allowed = min(info.file_size, budget.limits.max_file_bytes)
    chunks, total = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > allowed:
                    raise UploadRefused(f"{where} unpacks to more than it declares; refused as a zip bomb.")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UploadRefused(f"{where} cannot be unpacked ({exc}).") from exc
    raw = b"".join(chunks)
    if raw.startswith(ZIP_MAGIC):
        raise UploadRefused(f"{where} is an archive inside the archive; upload it on its own.")
    budget.spend(where, len(raw))
    return raw


def _check_member_name(archive_name: str, name: str) -> None:
    path = PurePosixPath(name)
    if (
        "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
    ):
        raise UploadRefused(
            f"{archive_name} holds an entry named {name!r}, which points outside the archive."
        )
    if len(name) > 255:
        raise UploadRefused(f"{archive_name} holds an entry whose name is over 255 characters.")


def _is_clutter(name: str) -> bool:
    """Folders and files that archivers add (macOS resource forks, dotfiles): not part of the corpus."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)
