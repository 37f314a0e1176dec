"""Normalise speakers to actors: "ISIS-K", "ISKP" and "Islamic State Khorasan Province" are one actor.

Lookups compare normalised alias keys exactly, then try the name without its titles and roles
("Russian President Vladimir Putin" → "Vladimir Putin"), then fuzzy matching (rapidfuzz) for spelling
variants. A named speaker nobody knows yet becomes a new actor; generic descriptions ("analysts",
"a former resident") do not.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.http import QueryDict
from rapidfuzz import fuzz, process

from claims.models import Claim
from sources.models import Actor, ActorAlias, Outlet

SEED_ACTORS_FILE = Path(settings.BASE_DIR) / "fixtures" / "actors.json"
FUZZY_MIN_SCORE = 92
FUZZY_MIN_LENGTH = 6  # short keys ("us", "is") only ever match exactly
PICKER_CHOICES = 10

LEADING_DETERMINERS = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
INDEFINITE = re.compile(r"^(a|an|some|several|many|most|other|one|two|three|four|five)\b", re.IGNORECASE)
PRONOUN = re.compile(r"^(he|she|it|they|we|i|you|who|this|that|these|those)$", re.IGNORECASE)
KNOWN_AS = re.compile(r"\b(?:known as|called|dubbed|named)\s+(.+)$", re.IGNORECASE)
# A speaker's head phrase ends where a lower-case preposition or a dash starts its modifiers:
# "the country's mission | in Moscow", "The Afghan arm | of ISIL/ISIS – known as …".
HEAD_PHRASE_END = re.compile(r"\s+(?:of|in|at|for|from|with|on|to|by|near|based)\s+|\s+[–—-]\s+")
REFERS_BACK = re.compile(r"^(he|she|it|they|we|the\s.+)$", re.IGNORECASE)
HONORIFICS = re.compile(r"^(mr|mrs|ms|dr|sir|prof)\.?\s+", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s\b")
GOVERNMENT_WORDS = frozenset(
    "ministry service office government embassy kremlin council department agency police army"
    " committee prosecutor court parliament duma senate administration".split()
)
MEDIA_WORDS = frozenset("news times post journal tv television radio telegraph herald press gazette".split())
ORGANISATION_WORDS = frozenset(
    "party group forum movement institute center centre foundation university union association"
    " company corporation bank fund network organisation organization commission school".split()
)


def also_known_as(name: str) -> list[str]:
    """Names a phrase introduces: "the Islamic State in Khorasan Province or ISIS-K" after "known as"."""
    match = KNOWN_AS.search(name)
    if not match:
        return []
    return [part for part in re.split(r"\s+or\s+|[,()]", match.group(1)) if part.strip()]


def alias_key(text: str) -> str:
    """The form aliases are compared in: accents, case, punctuation and a leading article removed.
    Short all-capital acronyms keep their case, so the pronoun "us" never matches "US"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = LEADING_DETERMINERS.sub("", POSSESSIVE.sub("", text.strip()))
    text = re.sub(r"\.", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    if text.isupper() and len(text.replace(" ", "")) <= 5:
        return text
    return text.lower()


@dataclass(frozen=True)
class SpeakerName:
    """A speaker phrase split into the name and the role or affiliation that follows it."""

    name: str
    affiliation: str = ""

    @classmethod
    def parse(cls, text: str) -> SpeakerName:
        text = " ".join(text.split()).strip(" ,;:")
        name, _, rest = text.partition(",")
        return cls(name.strip(), rest.strip(" ,"))


def is_named(name: str) -> bool:
    """True for proper names ("the Forum for Free Russia", "FSB"), false for descriptions ("analysts",
    "a former resident of Mariupol", "Russian investigators"): a name starts and ends capitalised."""
    if INDEFINITE.match(name) or PRONOUN.match(name.strip()):
        return False
    words = LEADING_DETERMINERS.sub("", name).split()
    return bool(words) and words[0][:1].isupper() and words[-1][:1].isupper()


def guess_kind(name: str) -> str:
    words = {word.lower() for word in re.findall(r"\w+", name)}
    if words & GOVERNMENT_WORDS:
        return Actor.Kind.GOVERNMENT
    if words & MEDIA_WORDS or Outlet.objects.named(name).exists():
        return Actor.Kind.MEDIA
    if words & ORGANISATION_WORDS:
        return Actor.Kind.ORGANISATION
    if 2 <= len(name.split()) <= 4 and all(word[:1].isupper() for word in name.split()):
        return Actor.Kind.PERSON
    return Actor.Kind.ORGANISATION


class ActorResolver:
    """Resolves many speaker phrases in one run, with the alias table loaded once."""

    def __init__(self) -> None:
        self._actor_by_key: dict[str, int] = dict(ActorAlias.objects.values_list("key", "actor_id"))
        self._actors: dict[int, Actor] = {}

    def resolve_speaker(self, *, written: str, name: str = "", antecedent: str = "") -> Actor | None:
        """The actor behind a source: a known actor the source as written names; else the name heading
        it (the extractor's `speaker_name`), created if new; else, for pronouns and definite descriptions
        only ("he", "the group"), the known actor its antecedent names. Descriptions without a name
        ("Russian investigators", "a Ukrainian think tank") get no actor."""
        actor = self.resolve(written, create=False)
        if actor:
            return actor
        if name:
            affiliation = written.replace(name, "", 1).strip(" ,;:") if name in written else ""
            return self.resolve(f"{name}, {affiliation}" if affiliation else name)
        if antecedent and antecedent != written and REFERS_BACK.match(written.strip()):
            return self.resolve(antecedent, create=False)
        return None

    def resolve(self, speaker: str, *, create: bool = True) -> Actor | None:
        """The actor `speaker` names, created if it is a new named speaker; None for descriptions."""
        parsed = SpeakerName.parse(speaker)
        if not parsed.name:
            return None
        actor_id = self._lookup(parsed.name)
        if actor_id is not None:
            return self._actor(actor_id)
        if not create or not is_named(parsed.name):
            return None
        return self._create(parsed)

    def _lookup(self, name: str) -> int | None:
        """Exact keys for the name, for names it introduces ("better known as the FSB"), and for its head
        without leading titles ("Russian President Vladimir Putin"); then fuzzy matching."""
        name = HONORIFICS.sub("", name)
        for candidate in [name, *also_known_as(name)]:
            head_words = HEAD_PHRASE_END.split(candidate, maxsplit=1)[0].split()
            keys = [alias_key(candidate)] + [
                alias_key(" ".join(head_words[i:])) for i in range(len(head_words))
            ]
            actor_id = next((self._actor_by_key[k] for k in keys if k in self._actor_by_key), None)
            if actor_id is not None:
                return actor_id
        key = alias_key(name)
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        candidates = [k for k in self._actor_by_key if len(k) >= FUZZY_MIN_LENGTH]
        match = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        return self._actor_by_key[match[0]] if match else None

    def _actor(self, actor_id: int) -> Actor:
        """The actor, or the one it was merged into: new claims never go to a merged actor."""
        if actor_id not in self._actors:
            self._actors[actor_id] = Actor.objects.get(pk=actor_id).current()
        return self._actors[actor_id]

    def _create(self, parsed: SpeakerName) -> Actor:
        name = LEADING_DETERMINERS.sub("", HONORIFICS.sub("", parsed.name))
        kind = guess_kind(name)
        with transaction.atomic():
            actor, _ = Actor.objects.get_or_create(
                name__iexact=name,
                defaults={"name": name, "kind": kind, "affiliation": parsed.affiliation[:300]},
            )
            actor = actor.current()  # the name may belong to an actor merged into another since
            aliases = [name]
            if kind == Actor.Kind.PERSON:
                aliases.append(name.split()[-1])  # later mentions use the surname: "Ilkhamov said"
            for alias in aliases:
                self._add_alias(actor, alias)
        self._actors[actor.pk] = actor
        return actor

    def _add_alias(self, actor: Actor, alias: str) -> None:
        key = alias_key(alias)
        if key and key not in self._actor_by_key:
            ActorAlias.objects.get_or_create(key=key, defaults={"actor": actor, "alias": alias})
            self._actor_by_key[key] = actor.pk


def load_seed_actors(path: Path = SEED_ACTORS_FILE, *, models=None) -> int:
    """Create the actors of fixtures/actors.json with their aliases; existing ones are left as edited.
    `models` is a migration's app registry, so a data migration can call this with historical models."""
    get_model = models.get_model if models else apps.get_model
    actor_model, alias_model = get_model("sources", "Actor"), get_model("sources", "ActorAlias")
    outlet_model = get_model("sources", "Outlet")
    entries = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        actors = {}
        for entry in entries:
            actor, was_created = actor_model.objects.get_or_create(
                name__iexact=entry["name"],
                defaults={
                    "name": entry["name"],
                    "short_name": entry.get("short_name", ""),
                    "kind": entry["kind"],
                    "affiliation": entry.get("affiliation", ""),
                    "outlet": outlet_model.objects.filter(name__iexact=entry["name"]).first()
                    if entry["kind"] == "media"
                    else None,
                },
            )
            created += was_created
            actors[entry["name"]] = actor
            for alias in [entry["name"], *entry.get("aliases", [])]:
                alias_model.objects.get_or_create(
                    key=alias_key(alias), defaults={"actor": actor, "alias": alias}
                )
        for entry in entries:
            if "part_of" in entry and actors[entry["name"]].part_of_id is None:
                actors[entry["name"]].part_of = actors[entry["part_of"]]
                actors[entry["name"]].save(update_fields=["part_of"])
    return created


@dataclass(frozen=True)
class ActorMatch:
    """An actor the picker offers, with the alias that matched when it was not the name."""

    actor: Actor
    alias: str
    score: float


def _starts_with(field: str, text: str) -> Case:
    """1 when `field` starts with `text`: a prefix outranks any merely similar name."""
    return Case(
        When(**{f"{field}__istartswith": text}, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def actors_matching(text: str, *, limit: int = PICKER_CHOICES) -> list[ActorMatch]:
    """Actors (never merged ones) whose name or an alias starts with `text` or contains a word like it
    (pg_trgm word similarity, served by the trigram indexes), best first."""
    text = " ".join(text.split())
    key = alias_key(text)
    if not key:
        return []
    by_name = (
        Actor.objects.active()
        .filter(Q(name__istartswith=text) | Q(name__trigram_word_similar=text))
        .annotate(score=TrigramWordSimilarity(text, "name") + _starts_with("name", text))
        .order_by("-score", "name")[:limit]
    )
    by_alias = (
        ActorAlias.objects.filter(actor__merged_into__isnull=True)
        .filter(Q(key__istartswith=key) | Q(key__trigram_word_similar=key))
        .annotate(score=TrigramWordSimilarity(key, "key") + _starts_with("key", key))
        .select_related("actor")
        .order_by("-score", "alias")[:limit]
    )
    best: dict[int, ActorMatch] = {actor.pk: ActorMatch(actor, "", actor.score) for actor in by_name}
    for alias in by_alias:
        if alias.actor_id not in best or alias.score > best[alias.actor_id].score:
            shown = "" if alias.key == alias_key(alias.actor.name) else alias.alias
            best[alias.actor_id] = ActorMatch(alias.actor, shown, alias.score)
    return sorted(best.values(), key=lambda match: (-match.score, match.actor.name))[:limit]


def search_actors(actors: QuerySet[Actor], text: str) -> QuerySet[Actor]:
    """`actors` whose name or an alias contains `text` or a word like it, names most alike first."""
    text = " ".join(text.split())
    key = alias_key(text) or text
    aliases = ActorAlias.objects.filter(Q(key__icontains=key) | Q(key__trigram_word_similar=key))
    return (
        actors.filter(
            Q(name__icontains=text)
            | Q(name__trigram_word_similar=text)
            | Q(pk__in=aliases.values("actor_id"))
        )
        .annotate(score=TrigramWordSimilarity(text, "name") + _starts_with("name", text))
        .order_by("-score", "name")
    )


def claims_about(actor: Actor) -> QuerySet[Claim]:
    """Visible claims whose content names the actor: a full-text phrase search for its name, short name
    and every alias, OR-ed. The stored search vector (GIN index) finds candidates; the content's own
    vector keeps only claims that name the actor in what was said, not as its speaker."""
    names = {
        name.lower(): name
        for name in [actor.name, actor.short_name, *actor.aliases.values_list("alias", flat=True)]
        if name
    }
    queries = [SearchQuery(name, search_type="phrase", config="english") for name in names.values()]
    query = queries[0]
    for more in queries[1:]:
        query |= more
    return (
        Claim.objects.visible()
        .filter(search=query)
        .annotate(content_vector=SearchVector("content_text", config="english"))
        .filter(content_vector=query)
    )


def _named(text: str, *, create: bool) -> Actor:
    """The actor whose name or alias is `text` exactly (merges followed), else a new one named so."""
    if not text:
        raise ValidationError("Type the new actor's name.")
    key = alias_key(text)
    actor = Actor.objects.filter(name__iexact=text).first()
    if actor is None:
        alias = ActorAlias.objects.filter(key=key).select_related("actor").first() if key else None
        actor = alias.actor if alias else None
    if actor is not None:
        return actor.current()
    if not create:
        raise ValidationError(f"No actor is called “{text}”; pick one from the list.")
    if len(text) > Actor._meta.get_field("name").max_length:
        raise ValidationError("An actor's name has at most 200 characters.")
    with transaction.atomic():
        actor = Actor.objects.create(name=text, kind=guess_kind(text))
        if key:
            ActorAlias.objects.create(actor=actor, alias=text, key=key)
    return actor


def actor_from_picker(data: QueryDict, name: str, *, create: bool = True) -> Actor | None:
    """The actor an actor picker (templates/sources/_actor_picker.html) named `name` chose; None when
    it chose nothing. Its fields: `<name>` the chosen actor's id, `<name>_new` a name from the "＋ new
    actor" option, `<name>_text` the text box. Without JavaScript only the text box changes, so a text
    that no longer names the chosen actor counts as typed: an existing actor by exact name or alias, else
    a new one (kind guessed). `create=False` refuses new actors. Raises ValidationError."""
    if data.get(f"{name}_new"):
        return _named(" ".join(data[f"{name}_new"].split()), create=create)
    text = " ".join(data[f"{name}_text"].split()) if f"{name}_text" in data else None
    chosen = data.get(name, "")
    if chosen:
        actor = Actor.objects.filter(pk=chosen).first() if chosen.isdigit() else None
        if actor is None:
            raise ValidationError("The chosen actor does not exist.")
        keys = {alias_key(actor.name), *actor.aliases.values_list("key", flat=True)}
        if text is None or alias_key(text) in keys or text.lower() == actor.name.lower():
            return actor.current()
    return _named(text, create=create) if text else None
