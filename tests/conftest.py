import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the main thread; Django then refuses every ORM call there,
# including pytest-django's test-DB setup, unless this is set before any test starts. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


def seed_file(prefix: str) -> Path:
    """The seed whose name starts with `prefix` ("000" … "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def assert_text_maps_to_source(document) -> None:
    """Every piece of the document's cleaned text equals the source slice its offset map names."""
    source = document.source_file.text
    assert 0 <= document.source_start <= document.source_end <= len(source)
    covered = 0
    for text_offset, source_offset, length in document.offset_map:
        assert (
            document.text[text_offset : text_offset + length]
            == source[source_offset : source_offset + length]
        )
        assert document.source_start <= source_offset and source_offset + length <= document.source_end
        assert document.source_offset(text_offset) == source_offset
        covered += length
    separators = len(document.text) - covered
    assert separators <= 2 * max(
        0, len(document.offset_map) - 1
    )  # only "\n"/"\n\n" joins are not from the source
