import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the main thread; Django then refuses every ORM call there,
# including pytest-django's test-DB setup, unless this is set before any test starts. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# No page cache in the servers and workers tests start (the environment) or in this process
# (`no_page_cache`, as the settings are read by now): the tests of other things should not depend on
# it. tests/test_page_cache.py turns it on.
os.environ.setdefault("CLAIMTRACKER_PAGE_CACHE_SECONDS", "0")

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A transactional test ends by emptying every table, the seed actors a migration loaded among them:
    put them back, so a test that needs them passes whatever ran before it (pytest may order
    transactional tests, the browser ones among them, before others)."""
    yield
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(fixtures)
    if transactional and nextitem is not None:  # after the last test the database is gone
        from pytest_django.plugin import blocking_manager_key

        from sources.actors import load_seed_actors

        with item.config.stash[blocking_manager_key].unblock():
            load_seed_actors()


@pytest.fixture(autouse=True, scope="session")
def no_page_cache() -> None:
    from django.conf import settings

    settings.PAGE_CACHE_SECONDS = 0


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
