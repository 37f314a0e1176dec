"""Merging actors: claims, links and aliases move in one transaction with history; undo reverses exactly
what was recorded, and only while nothing has touched it since."""

import pytest
from django.contrib.auth.models import User

from articles.ingest import ingest_bytes
from claims.editing import edit_claim
from claims.models import Claim, ClaimChange, ClaimLink
from sources.actors import alias_key
from sources.merging import MergeRefused, actor_merge, actor_merge_undo
from sources.models import Actor, ActorAlias, ActorMerge
from tests.factories import spoken_claim as make_claim

pytestmark = pytest.mark.django_db

ARTICLE = "Crocus claims | World News\n\nISKP said it carried out the attack. The group's channel said so.\n"


@pytest.fixture
def editor() -> User:
    return User.objects.create_user("eddie")


@pytest.fixture
def document():
    return ingest_bytes(ARTICLE.encode(), name="crocus.txt").source_file.documents.get()


def make_actor(name: str, *aliases: str, kind: str = Actor.Kind.GROUP) -> Actor:
    actor = Actor.objects.create(name=name, kind=kind)
    for alias in (name, *aliases):
        ActorAlias.objects.create(actor=actor, alias=alias, key=alias_key(alias))
    return actor


@pytest.fixture
def pair(document, editor):
    """Wilayah Khorasan Media (2 claims, 1 source link) to be merged into Al-Azaim Foundation (1 claim)."""
    iskp = make_actor("Wilayah Khorasan Media", "WKM")
    target = make_actor("Al-Azaim Foundation", "Azaim")
    moved = [make_claim(document, iskp, "it carried out the attack"), make_claim(document, iskp, "more")]
    kept = make_claim(document, target, "the attack was theirs")
    link = ClaimLink.objects.create(
        claim=kept, kind=ClaimLink.Kind.SOURCE, target_actor=iskp, created_by=editor
    )
    return iskp, target, moved, kept, link


def counts() -> tuple[int, ...]:
    return (
        Actor.objects.count(),
        ActorAlias.objects.count(),
        Claim.objects.count(),
        ClaimLink.objects.count(),
    )


def test_merge_moves_claims_links_and_aliases_and_keeps_the_merged_actor(pair, editor):
    iskp, target, moved, kept, link = pair
    before = counts()
    merge = actor_merge(actor=iskp, into=target, by=editor)

    assert counts() == before  # nothing deleted, nothing created but history
    assert set(Claim.objects.filter(speaker=target)) == {*moved, kept}
    assert not iskp.claims.exists()
    link.refresh_from_db()
    assert link.target_actor == target
    assert set(target.aliases.values_list("alias", flat=True)) == {
        "Wilayah Khorasan Media",
        "WKM",
        "Al-Azaim Foundation",
        "Azaim",
    }
    iskp.refresh_from_db()
    assert iskp.merged_into == target
    assert merge.merged_by == editor and merge.undone_at is None
    assert sorted(merge.claim_ids) == sorted(claim.pk for claim in moved)
    assert merge.link_ids == [link.pk]
    assert len(merge.alias_ids) == 2


def test_each_moved_claim_gets_a_version_and_a_speaker_merged_change(pair, editor):
    iskp, target, moved, kept, _ = pair
    actor_merge(actor=iskp, into=target, by=editor)
    for claim in moved:
        claim.refresh_from_db()
        assert claim.version == 2
        change = claim.changes.get()
        assert change.action == ClaimChange.Action.SPEAKER_MERGED
        assert change.user == editor and change.version == 2
        assert change.before == {"speaker": {"id": iskp.pk, "name": "Wilayah Khorasan Media"}}
        assert change.after == {"speaker": {"id": target.pk, "name": "Al-Azaim Foundation"}}
    kept.refresh_from_db()
    assert kept.version == 1 and not kept.changes.exists()


def test_undo_restores_exactly_what_the_merge_moved(pair, editor):
    iskp, target, moved, kept, link = pair
    aliases_before = dict(ActorAlias.objects.values_list("pk", "actor_id"))
    before = counts()
    merge = actor_merge(actor=iskp, into=target, by=editor)
    other = User.objects.create_user("ana")
    actor_merge_undo(merge=merge, by=other)

    assert counts() == before
    assert dict(ActorAlias.objects.values_list("pk", "actor_id")) == aliases_before
    assert set(iskp.claims.all()) == set(moved)
    assert list(target.claims.all()) == [kept]
    link.refresh_from_db()
    assert link.target_actor == iskp
    iskp.refresh_from_db()
    assert iskp.merged_into is None
    merge.refresh_from_db()
    assert merge.undone_by == other and merge.undone_at is not None
    for claim in moved:
        claim.refresh_from_db()
        undo, original = claim.changes.all()
        assert claim.version == undo.version == 3
        assert undo.action == ClaimChange.Action.SPEAKER_MERGED and undo.undoes == original
        assert undo.before == original.after and undo.after == original.before


def test_merging_again_after_an_undo_works_and_can_be_undone_again(pair, editor):
    iskp, target, moved, _, _ = pair
    actor_merge_undo(merge=actor_merge(actor=iskp, into=target, by=editor), by=editor)
    second = actor_merge(actor=iskp, into=target, by=editor)
    actor_merge_undo(merge=second, by=editor)
    assert set(iskp.claims.all()) == set(moved)
    assert ActorMerge.objects.standing().count() == 0


def test_undo_is_refused_once_a_moved_claim_was_edited(pair, editor):
    iskp, target, moved, _, _ = pair
    merge = actor_merge(actor=iskp, into=target, by=editor)
    claim = Claim.objects.get(pk=moved[0].pk)
    edit_claim(claim.pk, user=editor, version=claim.version, fields={"headline": "Edited since"})
    with pytest.raises(MergeRefused, match="changed since"):
        actor_merge_undo(merge=merge, by=editor)
    assert Claim.objects.filter(speaker=target).count() == 3
    iskp.refresh_from_db()
    assert iskp.merged_into == target


def test_undo_is_refused_once_the_target_was_merged_onwards(pair, editor, document):
    iskp, target, _, _, _ = pair
    first = actor_merge(actor=iskp, into=target, by=editor)
    isis = make_actor("Khorasan Diary")
    actor_merge(actor=target, into=isis, by=editor)
    with pytest.raises(MergeRefused):
        actor_merge_undo(merge=first, by=editor)


def test_undo_is_refused_when_a_moved_alias_moved_on(pair, editor):
    iskp, target, _, _, _ = pair
    merge = actor_merge(actor=iskp, into=target, by=editor)
    ActorAlias.objects.filter(alias="WKM").update(actor=make_actor("Someone else"))
    with pytest.raises(MergeRefused, match="Aliases"):
        actor_merge_undo(merge=merge, by=editor)


def test_an_undone_merge_cannot_be_undone_twice(pair, editor):
    iskp, target, _, _, _ = pair
    merge = actor_merge(actor=iskp, into=target, by=editor)
    actor_merge_undo(merge=merge, by=editor)
    with pytest.raises(MergeRefused, match="already undone"):
        actor_merge_undo(merge=merge, by=editor)


def test_merging_into_itself_into_a_merged_actor_or_twice_is_refused(pair, editor):
    iskp, target, _, _, _ = pair
    with pytest.raises(MergeRefused, match="itself"):
        actor_merge(actor=iskp, into=iskp, by=editor)
    other = make_actor("Azaim Media")
    actor_merge(actor=iskp, into=target, by=editor)
    with pytest.raises(MergeRefused, match="is itself merged"):
        actor_merge(actor=other, into=iskp, by=editor)
    with pytest.raises(MergeRefused, match="already merged"):
        actor_merge(actor=iskp, into=other, by=editor)
    assert ActorMerge.objects.count() == 1


def test_the_claim_page_undo_leaves_a_merge_to_the_actor_page(pair, editor):
    from claims.editing import UndoRefused, undo_last_change

    iskp, target, moved, _, _ = pair
    actor_merge(actor=iskp, into=target, by=editor)
    with pytest.raises(UndoRefused, match="actor's page"):
        undo_last_change(moved[0].pk, user=editor)
