"""Every change a person makes to a claim: recorded with who, when and the fields before → after, checked
against the version the editor started from, and undoable by its author while nobody has changed the
claim since."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from articles.models import Document
from claims.headlines import build_headline
from claims.models import Claim, ClaimChange, ClaimLink, ClaimSpan
from claims.spans import clean_spans, enclosing_sentence, joined, lemma_of_cue
from sources.models import Actor

# What an editor may change on a claim, and what its history shows; spans are recorded as "spans".
TRACKED_FIELDS = [
    "speaker",
    "speaker_text",
    "cue_lemma",
    "kind",
    "polarity",
    "is_direct_quote",
    "content_text",
    "headline",
    "said_on",
    "said_on_source",
    "said_on_text",
    "said_on_precision",
    "status",
    "sentence_start",
    "sentence_end",
    "review_rating",
    "review_rating_label",
]
Spans = list[tuple[str, int, int]]


class EditConflict(Exception):
    """Someone saved the claim after the editor opened it; `changes` are theirs, newest first."""

    def __init__(self, claim: Claim, changes: list[ClaimChange]) -> None:
        self.claim, self.changes = claim, changes
        who = ", ".join(sorted({str(change.user or "the extractor") for change in changes}))
        super().__init__(f"claim {claim.pk} was changed by {who} since you opened it")


class UndoRefused(Exception):
    """The change cannot be undone: not the user's, already undone, or overtaken by a later change."""


def snapshot(claim: Claim) -> dict[str, Any]:
    """The claim's tracked state as JSON values: what history stores and undo restores."""
    state = {field: _to_json(field, getattr(claim, field)) for field in TRACKED_FIELDS}
    state["spans"] = sorted([span.role, span.start, span.end] for span in claim.claim_spans.all())
    return state


def _to_json(field: str, value: Any) -> Any:
    if field == "speaker":
        return {"id": value.pk, "name": value.name} if value else None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_json(field: str, value: Any) -> tuple[str, Any]:
    """The model attribute and value to set for a stored JSON value."""
    if field == "speaker":
        return "speaker_id", value["id"] if value else None
    if field == "said_on":
        return "said_on", dt.date.fromisoformat(value) if value else None
    return field, value


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def locked_claim(claim_id: int, version: int | None) -> Claim:
    """The claim, row-locked for this transaction; refused if it moved past `version`."""
    claim = Claim.objects.select_for_update(of=("self",)).select_related("document").get(pk=claim_id)
    if version is not None and claim.version != version:
        since = list(claim.changes.filter(version__gt=version).select_related("user"))
        raise EditConflict(claim, since)
    return claim


def record_change(
    claim: Claim,
    *,
    user: AbstractBaseUser | None,
    action: str,
    before: dict,
    after: dict,
    link: ClaimLink | None = None,
    undoes: ClaimChange | None = None,
) -> ClaimChange:
    claim.version += 1
    claim.save()
    return ClaimChange.objects.create(
        claim=claim,
        user=user,
        action=action,
        before=before,
        after=after,
        link=link,
        version=claim.version,
        undoes=undoes,
    )


def _set_spans(claim: Claim, spans: Spans) -> None:
    """Replace the claim's spans and what is derived from them, keeping fields the editor set."""
    text = claim.document.text
    claim.claim_spans.all().delete()
    ClaimSpan.objects.bulk_create(
        ClaimSpan(claim=claim, role=role, start=start, end=end) for role, start, end in spans
    )
    claim.sentence_start, claim.sentence_end = enclosing_sentence(
        text, min(start for _, start, _ in spans), max(end for _, _, end in spans)
    )
    claim.speaker_text = joined(text, spans, ClaimSpan.Role.SOURCE)[:300]
    claim.content_text = joined(text, spans, ClaimSpan.Role.CONTENT)
    claim.cue_lemma = lemma_of_cue(joined(text, spans, ClaimSpan.Role.CUE))


def _headline(claim: Claim) -> str:
    return build_headline(
        speaker=claim.speaker.headline_name if claim.speaker else claim.speaker_text,
        cue_lemma=claim.cue_lemma,
        gist=claim.content_text,
        said_on=claim.said_on if claim.said_on_source == Claim.DateSource.TEXT else None,
        precision=claim.said_on_precision or "day",
    )


def edit_claim(
    claim_id: int,
    *,
    user: AbstractBaseUser,
    version: int,
    fields: dict[str, Any] | None = None,
    spans: Spans | None = None,
    action: str = ClaimChange.Action.EDITED,
) -> ClaimChange | None:
    """Apply an editor's changes to fields and/or spans; None when nothing differs. A machine claim that
    is corrected becomes "edited" (so re-extraction leaves it alone). Raises EditConflict, SpanError."""
    fields = dict(fields or {})
    with transaction.atomic():
        claim = locked_claim(claim_id, version)
        before = snapshot(claim)
        if spans is not None:
            spans = clean_spans(claim.document.text, spans)
            if sorted(map(list, spans)) != before["spans"]:
                _set_spans(claim, spans)
        for field, value in fields.items():
            if field not in TRACKED_FIELDS:
                raise ValueError(f"{field} is not a field editors change")
            setattr(claim, field, value)
        if "said_on" in fields and "said_on_source" not in fields:
            claim.said_on_source = Claim.DateSource.TEXT if claim.said_on else Claim.DateSource.UNKNOWN
            claim.said_on_text, claim.said_on_precision = "", "day" if claim.said_on else ""
        if "headline" not in fields and (spans is not None or {"speaker", "said_on"} & fields.keys()):
            claim.headline = _headline(claim)
        if snapshot(claim) == before:
            return None
        if action == ClaimChange.Action.EDITED and claim.status == Claim.Status.MACHINE:
            claim.status = Claim.Status.EDITED
        old, new = _diff(before, snapshot(claim))
        return record_change(claim, user=user, action=action, before=old, after=new)


def set_status(claim_id: int, *, user: AbstractBaseUser, version: int, status: str) -> ClaimChange | None:
    """Confirm or reject a claim (or reopen it as edited)."""
    action = {
        Claim.Status.CONFIRMED: ClaimChange.Action.CONFIRMED,
        Claim.Status.REJECTED: ClaimChange.Action.REJECTED,
    }.get(status, ClaimChange.Action.EDITED)
    return edit_claim(claim_id, user=user, version=version, fields={"status": status}, action=action)


def create_claim(
    document: Document,
    *,
    user: AbstractBaseUser,
    spans: Spans,
    speaker: Actor | None = None,
    kind: str = Claim.Kind.STATEMENT,
    polarity: str = Claim.Polarity.ASSERT,
    is_direct_quote: bool = False,
    said_on: dt.date | None = None,
) -> Claim:
    """A claim an editor marked by hand: confirmed from the start and recorded as created."""
    spans = clean_spans(document.text, spans)
    first = min(start for _, start, _ in spans)
    with transaction.atomic():
        claim = Claim(
            document=document,
            post=document.posts.filter(text_start__lte=first).order_by("-text_start").first(),
            speaker=speaker,
            kind=kind,
            polarity=polarity,
            is_direct_quote=is_direct_quote,
            said_on=said_on,
            said_on_source=Claim.DateSource.TEXT if said_on else Claim.DateSource.UNKNOWN,
            said_on_precision="day" if said_on else "",
            status=Claim.Status.CONFIRMED,
            created_by=user,
            version=0,
            sentence_start=0,
            sentence_end=0,
        )
        claim.save()
        _set_spans(claim, spans)
        claim.headline = _headline(claim)
        record_change(claim, user=user, action=ClaimChange.Action.CREATED, before={}, after=snapshot(claim))
    return claim


NOT_UNDOABLE_HERE = {ClaimChange.Action.UNDONE, ClaimChange.Action.CREATED, ClaimChange.Action.SPEAKER_MERGED}


def can_undo(latest: ClaimChange, user: AbstractBaseUser) -> bool:
    """Whether `user` may undo `latest`, the claim's newest change, from the claim's screens: their own,
    and not a creation, an undo, or an actors' merge (undone from the actor's page)."""
    return latest.user_id == user.pk and latest.action not in NOT_UNDOABLE_HERE


def undo_last_change(claim_id: int, *, user: AbstractBaseUser) -> ClaimChange:
    """Reverse the claim's latest change if `user` made it and it is not itself an undo."""
    with transaction.atomic():
        claim = locked_claim(claim_id, None)
        last = claim.changes.select_related("link").first()
        if last is None or last.user_id != user.pk:
            raise UndoRefused("only the latest change to a claim can be undone, by the person who made it")
        if last.action == ClaimChange.Action.SPEAKER_MERGED:
            raise UndoRefused("a merge of actors is undone from the actor's page")
        if not can_undo(last, user):
            raise UndoRefused(f"a change that {last.get_action_display()} the claim cannot be undone")
        if last.link is not None:
            from claims.links import restore_link_state

            last.link.claim = claim  # one instance, so the cluster the link sets is the one saved
            restore_link_state(last.link, removed=last.action == ClaimChange.Action.LINKED, user=user)
        if "spans" in last.before:
            _set_spans(claim, [tuple(span) for span in last.before["spans"]])
        for field, value in last.before.items():
            if field in TRACKED_FIELDS:
                attribute, decoded = _from_json(field, value)
                setattr(claim, attribute, decoded)
        return record_change(
            claim,
            user=user,
            action=ClaimChange.Action.UNDONE,
            before=last.after,
            after=last.before,
            link=last.link,
            undoes=last,
        )
