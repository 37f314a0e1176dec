import datetime as dt

import pytest

from claims.editing import EditConflict, UndoRefused, create_claim, edit_claim, set_status, undo_last_change
from claims.models import Claim, ClaimChange
from claims.spans import SpanError
from sources.models import Actor

pytestmark = pytest.mark.django_db


def _spans_of(claim):
    return sorted((s.role, claim.document.text[s.start : s.end]) for s in claim.claim_spans.all())


def test_an_edit_records_before_and_after_and_marks_a_machine_claim_edited(kremlin_claim, editor):
    change = edit_claim(kremlin_claim.pk, user=editor, version=1, fields={"kind": Claim.Kind.ACCUSATION})
    kremlin_claim.refresh_from_db()
    assert (
        kremlin_claim.kind == "accusation" and kremlin_claim.status == "edited" and kremlin_claim.version == 2
    )
    assert change.user == editor and change.version == 2
    assert change.before == {"kind": "statement", "status": "machine"}
    assert change.after == {"kind": "accusation", "status": "edited"}


def test_saving_nothing_new_records_nothing(kremlin_claim, editor):
    assert edit_claim(kremlin_claim.pk, user=editor, version=1, fields={"kind": "statement"}) is None
    assert not ClaimChange.objects.exists()


def test_a_stale_version_is_refused_with_the_other_change(kremlin_claim, editor, other_editor):
    edit_claim(kremlin_claim.pk, user=other_editor, version=1, fields={"polarity": "deny"})
    with pytest.raises(EditConflict) as refused:
        edit_claim(kremlin_claim.pk, user=editor, version=1, fields={"kind": "blame"})
    assert [change.user for change in refused.value.changes] == [other_editor]
    assert "edna" in str(refused.value)
    kremlin_claim.refresh_from_db()
    assert kremlin_claim.kind == "statement" and kremlin_claim.polarity == "deny"


def test_new_spans_snap_to_words_and_rederive_text_and_headline(kremlin_claim, editor):
    text = kremlin_claim.document.text
    start = text.index("US warning")
    edit_claim(
        kremlin_claim.pk,
        user=editor,
        version=1,
        spans=[
            ("source", text.index("Kremlin") + 2, text.index("Kremlin") + 5),  # "eml" → "Kremlin"
            ("cue", text.index("said"), text.index("said") + 4),
            ("content", start, start + len("US warning was blackmail")),
        ],
    )
    kremlin_claim.refresh_from_db()
    assert _spans_of(kremlin_claim) == [
        ("content", "US warning was blackmail"),
        ("cue", "said"),
        ("source", "Kremlin"),
    ]
    assert (
        kremlin_claim.speaker_text == "Kremlin" and kremlin_claim.content_text == "US warning was blackmail"
    )
    assert kremlin_claim.headline == "Kremlin said US warning was blackmail"
    change = kremlin_claim.changes.get()
    assert ["source", text.index("The Kremlin"), text.index("The Kremlin") + 11] in change.before["spans"]


def test_spans_without_a_cue_or_outside_the_text_are_refused_and_nothing_changes(kremlin_claim, editor):
    with pytest.raises(SpanError, match="cue"):
        edit_claim(kremlin_claim.pk, user=editor, version=1, spans=[("content", 0, 5)])
    with pytest.raises(SpanError, match="not inside"):
        edit_claim(kremlin_claim.pk, user=editor, version=1, spans=[("cue", 0, 5), ("content", 5, 10**6)])
    kremlin_claim.refresh_from_db()
    assert kremlin_claim.version == 1 and kremlin_claim.claim_spans.count() == 3


def test_undo_restores_fields_and_spans_and_is_recorded(kremlin_claim, editor):
    text = kremlin_claim.document.text
    before = _spans_of(kremlin_claim)
    speaker = Actor.objects.create(name="Maria Zakharova", short_name="Zakharova", kind="person")
    edit_claim(
        kremlin_claim.pk,
        user=editor,
        version=1,
        fields={"speaker": speaker, "said_on": dt.date(2024, 3, 19)},
        spans=[("cue", text.index("said"), text.index("said") + 4), ("content", 0, 6)],
    )
    undo = undo_last_change(kremlin_claim.pk, user=editor)
    kremlin_claim.refresh_from_db()
    assert _spans_of(kremlin_claim) == before
    assert kremlin_claim.speaker is None and kremlin_claim.said_on is None
    assert (
        kremlin_claim.status == "machine"
        and kremlin_claim.headline == "The Kremlin said the US warning was blackmail"
    )
    assert undo.action == "undone" and undo.undoes.version == 2 and kremlin_claim.version == 3


def test_only_the_author_of_the_latest_change_may_undo_it_once(kremlin_claim, editor, other_editor):
    set_status(kremlin_claim.pk, user=editor, version=1, status="confirmed")
    with pytest.raises(UndoRefused):
        undo_last_change(kremlin_claim.pk, user=other_editor)
    undo_last_change(kremlin_claim.pk, user=editor)
    with pytest.raises(UndoRefused):
        undo_last_change(kremlin_claim.pk, user=editor)
    kremlin_claim.refresh_from_db()
    assert kremlin_claim.status == "machine"


def test_confirm_and_reject_are_their_own_actions(kremlin_claim, editor):
    assert set_status(kremlin_claim.pk, user=editor, version=1, status="confirmed").action == "confirmed"
    assert set_status(kremlin_claim.pk, user=editor, version=2, status="rejected").action == "rejected"
    assert Claim.objects.get().status == "rejected"


def test_a_claim_made_by_hand_is_confirmed_with_its_creation_recorded(story_document, editor):
    text = story_document.text
    kyiv = text.index("Kyiv")
    claim = create_claim(
        story_document,
        user=editor,
        spans=[
            ("source", kyiv, kyiv + 4),
            ("cue", text.index("denied"), text.index("denied") + 3),  # "den" snaps to "denied"
            ("content", text.index("any role"), len(text) - 1),
        ],
        kind=Claim.Kind.DENIAL,
        polarity=Claim.Polarity.DENY,
    )
    assert claim.status == "confirmed" and claim.created_by == editor and claim.extractor_version == ""
    assert claim.cue_lemma == "deny" and claim.headline == "Kyiv denied any role in the attack"
    assert text[claim.sentence_start : claim.sentence_end] == "Kyiv denied any role in the attack."
    created = claim.changes.get()
    assert created.action == "created" and created.version == 1 and created.after["kind"] == "denial"
    with pytest.raises(UndoRefused):
        undo_last_change(claim.pk, user=editor)
