"""Claims made directly (no extraction) and people in each role, for the workspace tests."""

import pytest
from django.contrib.auth import get_user_model

from articles.ingest import ingest_bytes
from claims.models import Claim
from claimtracker.roles import ensure_roles
from tests.factories import claim_with_spans

STORY = (
    "Moscow attack\n\n"
    "The Kremlin said the US warning was blackmail. "
    "Washington insisted that it had warned Moscow in private. "
    "Kyiv denied any role in the attack."
)


@pytest.fixture
def story_document():
    return ingest_bytes(STORY.encode(), name="story.txt").source_file.documents.get()


def make_claim(document, *, source: str, cue: str, content: str, **fields) -> Claim:
    """A machine claim whose spans are the first occurrences of the given words."""
    defaults = {
        "speaker_text": source,
        "cue_lemma": cue,
        "content_text": content,
        "extractor_version": "test",
    }
    return claim_with_spans(
        document,
        headline=f"{source} {cue} {content}",
        fields=defaults | fields,
        source=source,
        cue=cue,
        content=content,
    )


@pytest.fixture
def kremlin_claim(story_document):
    return make_claim(
        story_document, source="The Kremlin", cue="said", content="the US warning was blackmail"
    )


@pytest.fixture
def washington_claim(story_document):
    return make_claim(
        story_document, source="Washington", cue="insisted", content="it had warned Moscow in private"
    )


def _user(username: str, role: str):
    user = get_user_model().objects.create_user(username=username, password=f"{username}-pass")
    user.groups.add(ensure_roles()[role])
    return user


@pytest.fixture
def editor():
    return _user("eddie", "editor")


@pytest.fixture
def other_editor():
    return _user("edna", "editor")


@pytest.fixture
def reader():
    return _user("rita", "reader")
