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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Lower, Upper
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


@lru_cache(maxsize=1 << 16)  # a batch's speakers repeat, and each lookup tries several keys
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


def guess_kind(name: str, *, names_outlet: bool | None = None) -> str:
    """The kind a new actor called `name` most likely is. `names_outlet` says whether an outlet goes by
    that name, when the caller already asked (see `ActorResolver`); else the outlets are queried here."""
    words = {word.lower() for word in re.findall(r"\w+", name)}
    if words & GOVERNMENT_WORDS:
        return Actor.Kind.GOVERNMENT
    if words & MEDIA_WORDS:
        return Actor.Kind.MEDIA
    if names_outlet is None:
        names_outlet = Outlet.objects.named(name).exists()
    if names_outlet:
        return Actor.Kind.MEDIA
    if words & ORGANISATION_WORDS:
        return Actor.Kind.ORGANISATION
    if 2 <= len(name.split()) <= 4 and all(word[:1].isupper() for word in name.split()):
        return Actor.Kind.PERSON
    return Actor.Kind.ORGANISATION


def _kind_needs_outlets(name: str) -> bool:
    """Whether `guess_kind` would look at the outlets for `name` (its words decide the kind first)."""
    words = {word.lower() for word in re.findall(r"\w+", name)}
    return not words & (GOVERNMENT_WORDS | MEDIA_WORDS)


@dataclass(frozen=True)
class Speaker:
    """A source as the extractor gives it: the phrase as written, the name heading it (`speaker_name`) and
    the antecedent a pronoun or definite description refers back to."""

    written: str
    name: str = ""
    antecedent: str = ""

    @property
    def named(self) -> str:
        """The name with the rest of the phrase as its affiliation: what a new actor is made from."""
        affiliation = (
            self.written.replace(self.name, "", 1).strip(" ,;:") if self.name in self.written else ""
        )
        return f"{self.name}, {affiliation}" if affiliation else self.name


@dataclass(eq=False)
class _NewActor:
    """An actor the resolver will create: lookups find it through its alias keys before it is written."""

    name: str
    kind: str
    affiliation: str
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias, key)
    actor: Actor | None = None


class ActorResolver:
    """Resolves many speaker phrases in one run, with the alias table loaded once.

    `resolve_speakers` takes a whole batch: speakers are resolved in order, as if one by one (a new actor
    an earlier speaker brought is what a later "Ilkhamov" finds), and the new actors and their aliases are
    written at the end with a few queries. Inserts skip names and keys that exist (ON CONFLICT DO NOTHING,
    in sorted order, so two workers creating the same actors wait for each other instead of deadlocking)
    and what is stored is read back, so an actor a concurrent worker created first is used, not doubled.
    """

    def __init__(self) -> None:
        self._actor_by_key: dict[str, int | _NewActor] = dict(
            ActorAlias.objects.values_list("key", "actor_id")
        )
        # The keys fuzzy matching compares against, in the table's order, kept up to date as keys are added.
        self._fuzzy_keys = [key for key in self._actor_by_key if len(key) >= FUZZY_MIN_LENGTH]
        self._actors: dict[int, Actor] = {}
        self._new: dict[str, _NewActor] = {}  # by lower-case name: one actor per name, as the database has
        self._names_outlet: dict[str, bool] = {}

    def resolve_speakers(self, speakers: Sequence[Speaker]) -> list[Actor | None]:
        """The actor behind each source (see `resolve_speaker`), new ones created, with a handful of
        queries for the whole batch: one about outlets for the names that may become new actors, the
        writes of `_save_new`, and one for the known actors not fetched before."""
        self._ask_outlets(
            self._new_actor_name(parsed.name)
            for speaker in speakers
            if speaker.name and (parsed := SpeakerName.parse(speaker.named)).name and is_named(parsed.name)
        )
        found = [self._find_speaker(speaker) for speaker in speakers]
        self._save_new()
        return self._actors_for(found)

    def resolve_speaker(self, *, written: str, name: str = "", antecedent: str = "") -> Actor | None:
        """The actor behind a source: a known actor the source as written names; else the name heading
        it (the extractor's `speaker_name`), created if new; else, for pronouns and definite descriptions
        only ("he", "the group"), the known actor its antecedent names. Descriptions without a name
        ("Russian investigators", "a Ukrainian think tank") get no actor."""
        return self.resolve_speakers([Speaker(written, name, antecedent)])[0]

    def resolve(self, speaker: str, *, create: bool = True) -> Actor | None:
        """The actor `speaker` names, created if it is a new named speaker; None for descriptions."""
        found = self._find(speaker, create=create)
        self._save_new()
        return self._actors_for([found])[0]

    def _find_speaker(self, speaker: Speaker) -> int | _NewActor | None:
        found = self._find(speaker.written, create=False)
        if found is not None:
            return found
        if speaker.name:
            return self._find(speaker.named)
        if (
            speaker.antecedent
            and speaker.antecedent != speaker.written
            and REFERS_BACK.match(speaker.written.strip())
        ):
            return self._find(speaker.antecedent, create=False)
        return None

    def _find(self, speaker: str, *, create: bool = True) -> int | _NewActor | None:
        """The known actor `speaker` names (an id, or one planned earlier in this batch); a new actor planned
        if it is a new named speaker; None for descriptions."""
        parsed = SpeakerName.parse(speaker)
        if not parsed.name:
            return None
        found = self._lookup(parsed.name)
        if found is not None:
            return found
        if not create or not is_named(parsed.name):
            return None
        return self._plan(parsed)

    def _lookup(self, name: str) -> int | _NewActor | None:
        """Exact keys for the name, for names it introduces ("better known as the FSB"), and for its head
        without leading titles ("Russian President Vladimir Putin"); then fuzzy matching."""
        name = HONORIFICS.sub("", name)
        for candidate in [name, *also_known_as(name)]:
            head_words = HEAD_PHRASE_END.split(candidate, maxsplit=1)[0].split()
            keys = [alias_key(candidate)] + [
                alias_key(" ".join(head_words[i:])) for i in range(len(head_words))
            ]
            found = next((self._actor_by_key[k] for k in keys if k in self._actor_by_key), None)
            if found is not None:
                return found
        key = alias_key(name)
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        match = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        return self._actor_by_key[match[0]] if match else None

    @staticmethod
    def _new_actor_name(name: str) -> str:
        return LEADING_DETERMINERS.sub("", HONORIFICS.sub("", name))

    def _plan(self, parsed: SpeakerName) -> _NewActor:
        """A new actor for `parsed`, with its name (and a person's surname: later mentions use it, as in
        "Ilkhamov said") as aliases unless those keys name someone already. A name that differs only in
        case from one planned before is that actor."""
        name = self._new_actor_name(parsed.name)
        kind = guess_kind(name, names_outlet=self._ask_outlets([name])[name])
        new = self._new.setdefault(name.lower(), _NewActor(name, kind, parsed.affiliation[:300]))
        aliases = [name]
        if kind == Actor.Kind.PERSON:
            aliases.append(name.split()[-1])
        for alias in aliases:
            key = alias_key(alias)
            if key and key not in self._actor_by_key:
                new.aliases.append((alias, key))
                self._actor_by_key[key] = new
                if len(key) >= FUZZY_MIN_LENGTH:
                    self._fuzzy_keys.append(key)
        return new

    def _ask_outlets(self, names: Iterable[str]) -> dict[str, bool]:
        """Whether an outlet goes by each of `names` (a new actor so named is a media actor), asked with one
        query for the names not asked before whose words leave the kind open."""
        wanted = {name for name in names if name not in self._names_outlet}
        asked = {name for name in wanted if _kind_needs_outlets(name)}
        outlets = []
        if asked:  # `Outlet.objects.named` for all of them at once, told apart below
            outlets = list(
                Outlet.objects.alias(upper_name=Upper("name"))
                .filter(
                    Q(upper_name__in=[name.upper() for name in asked])
                    | Q(aliases__overlap=[name.lower() for name in asked])
                )
                .values_list("name", "aliases")
            )
        for name in wanted:
            self._names_outlet[name] = name in asked and any(
                outlet_name.upper() == name.upper() or name.lower() in aliases
                for outlet_name, aliases in outlets
            )
        return self._names_outlet

    def _save_new(self) -> None:
        """Write the planned actors and their aliases; an actor or alias that exists by now is kept as it
        is (a merged actor's aliases go to the actor it was merged into)."""
        if not self._new:
            return
        new = sorted(self._new.values(), key=lambda planned: planned.name.lower())
        self._new = {}
        with transaction.atomic(savepoint=False):  # no savepoint inside the caller's transaction
            self._write(new)

    def _write(self, new: list[_NewActor]) -> None:
        Actor.objects.bulk_create(
            [Actor(name=planned.name, kind=planned.kind, affiliation=planned.affiliation) for planned in new],
            ignore_conflicts=True,
        )
        stored = Actor.objects.alias(lower_name=Lower("name")).filter(
            lower_name__in=[planned.name.lower() for planned in new]
        )
        by_name = {actor.name.lower(): actor for actor in stored}
        for planned in new:
            actor = by_name.get(planned.name.lower())
            if actor is None:  # Python's and PostgreSQL's lower() disagree on some letters
                actor, _ = Actor.objects.get_or_create(
                    name__iexact=planned.name,
                    defaults={"name": planned.name, "kind": planned.kind, "affiliation": planned.affiliation},
                )
            planned.actor = actor.current()  # the name may belong to an actor merged into another since
            self._actors[planned.actor.pk] = planned.actor
        aliases = sorted(
            (
                ActorAlias(actor=planned.actor, alias=alias, key=key)
                for planned in new
                for alias, key in planned.aliases
            ),
            key=lambda alias: alias.key,
        )
        ActorAlias.objects.bulk_create(aliases, ignore_conflicts=True)
        owners = dict(
            ActorAlias.objects.filter(key__in=[alias.key for alias in aliases]).values_list("key", "actor_id")
        )
        for planned in new:
            for _alias, key in planned.aliases:
                self._actor_by_key[key] = owners.get(key, planned.actor.pk)

    def _actors_for(self, found: list[int | _NewActor | None]) -> list[Actor | None]:
        """Actors for ids and written new actors, fetched together; merged actors are followed, so new
        claims never go to a merged actor."""
        missing = {item for item in found if isinstance(item, int) and item not in self._actors}
        for actor in Actor.objects.filter(pk__in=missing).select_related("merged_into"):
            self._actors[actor.pk] = actor.current()
        if gone := missing - self._actors.keys():
            raise Actor.DoesNotExist(f"Actors {sorted(gone)} were deleted while the resolver ran.")
        return [
            item.actor if isinstance(item, _NewActor) else self._actors[item] if item is not None else None
            for item in found
        ]


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
