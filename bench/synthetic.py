"""A synthetic corpus at scale, copied and varied from the claims already extracted into the database.

Every synthetic document is a copy of a real one (same text, source span and offset map, so every claim's
offsets still point at its words) with another outlet, publication date and title; every synthetic claim is
a copy of a real claim of that document with another speaker, date said, status and confidence, its
headline naming the new speaker. Rows go in with COPY; indexes that back no constraint are dropped first
and rebuilt after (one sort instead of a million index insertions), and so are the tables' foreign keys
(each checked in one join instead of a trigger per row), then VACUUM and ANALYZE. The GENERATED search
columns are left to PostgreSQL.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from psycopg.types.json import Jsonb

from analysis.models import Event, Evidence, Explanation, Rating
from articles.models import Document
from claims.models import Claim, ClaimSpan
from sources.models import Actor, Outlet

TABLES = (Document._meta.db_table, Claim._meta.db_table, ClaimSpan._meta.db_table)
EVENT_SLUG = "synthetic-benchmark-event"
SYNTHETIC_ACTORS = 2000
SYNTHETIC_OUTLETS = 60
EVIDENCE_PER_EXPLANATION = 40
# Of a hundred synthetic claims: how many a person confirmed, edited or rejected; the rest are machine claims.
STATUS_WEIGHTS = {
    Claim.Status.MACHINE: 88,
    Claim.Status.CONFIRMED: 7,
    Claim.Status.EDITED: 2,
    Claim.Status.REJECTED: 3,
}
TITLE_PREFIXES = ("", "", "", "Update: ", "Analysis: ", "Live: ", "Opinion: ", "Explainer: ")
FIRST_NAMES = "Anna Boris Carla David Elena Farid Greta Hugo Irina Jamal Karin Luis Maria Nikolai Olga Pavel \
Rosa Samir Tamara Viktor Yulia Zoran Amir Bettina Chen Dmitri Ewa Fatima".split()
LAST_NAMES = "Abbott Baranov Castillo Dubois Eriksen Fischer Gromov Haddad Ivanova Jensen Kowalski Lindqvist \
Moreau Novak Orlov Petrov Quinn Rahimi Sokolova Tanaka Usmanov Volkova Weber Xu Yilmaz Zaytsev Akhmetov \
Brennan Costa Duarte Esposito Fedorova Galan Hoffmann Iqbal Jovanovic Kuznetsov Larsen Marin Nazarov".split()
OUTLET_WORDS = "Herald Courier Ledger Gazette Tribune Observer Chronicle Dispatch Monitor Review".split()
OUTLET_PLACES = "Northern Eastern Coastal Capital Valley Metro".split()


@dataclass
class FillReport:
    documents: int = 0
    claims: int = 0
    spans: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.documents + self.claims + self.spans

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@dataclass
class _Template:
    document: dict
    claims: list[dict]
    spans: dict[int, list[tuple[str, int, int]]]


def fill_synthetic(
    *, claims: int, documents: int, seed: int = 0, log: Callable[[str], None] = lambda line: None
) -> FillReport:
    """Add `documents` documents holding `claims` claims in all, copied from the documents that already have
    claims, plus an event whose explanations have confirmed evidence (for the compare page)."""
    if documents < 1 or claims < documents:
        raise ValueError("need at least one document and at least as many claims as documents")
    templates = _templates()
    if not templates:
        raise ValueError("no extracted claims to copy: ingest and extract some documents first")
    rng = random.Random(seed)
    report = FillReport()
    with transaction.atomic():
        started = time.perf_counter()
        speakers = _speaker_pool(rng)
        outlets = _outlet_pool()
        report.seconds["actors and outlets"] = time.perf_counter() - started
        with connection.cursor() as cursor:
            started = time.perf_counter()
            # Django's foreign keys are deferred: checks still pending (from the actors and outlets made
            # above, or a caller's writes) run now, as ALTER TABLE and CREATE INDEX refuse to run with any.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            dropped = _drop_plain_indexes(cursor)
            dropped_keys = _drop_foreign_keys(cursor)
            first_document, first_claim, first_span = (_next_id(cursor, table) for table in TABLES)
            positions = _next_positions(templates)
            document_rows, claim_rows, span_rows = [], [], []
            quota, extra = divmod(claims, documents)
            claim_id, span_id = first_claim, first_span
            for index in range(documents):
                template = templates[index % len(templates)]
                document_id = first_document + index
                published = _shift(template.document["published_on"], rng.randint(-400, 400))
                document_rows.append(
                    _document_row(template, document_id, positions, rng.choice(outlets), published, rng)
                )
                for number in range(quota + (index < extra)):
                    source = template.claims[number % len(template.claims)]
                    speaker = rng.choice(speakers) if source["speaker_id"] else None
                    claim_rows.append(_claim_row(source, claim_id, document_id, speaker, published, rng))
                    for role, start, end in template.spans[source["id"]]:
                        span_rows.append((span_id, claim_id, role, start, end))
                        span_id += 1
                    claim_id += 1
            report.seconds["generate rows"] = time.perf_counter() - started
            for table, rows, label in (
                (TABLES[0], document_rows, "documents"),
                (TABLES[1], claim_rows, "claims"),
                (TABLES[2], span_rows, "spans"),
            ):
                started = time.perf_counter()
                _copy(cursor, table, rows)
                setattr(report, label, len(rows))
                report.seconds[f"COPY {label}"] = time.perf_counter() - started
                log(f"COPY {len(rows):,} {label}: {len(rows) / report.seconds[f'COPY {label}']:,.0f} rows/s")
            del document_rows, claim_rows, span_rows
            for table in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            started = time.perf_counter()
            for table, name, definition in dropped_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            report.seconds["foreign key checks"] = time.perf_counter() - started
            started = time.perf_counter()
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for definition in dropped:
                cursor.execute(definition)
            report.seconds["rebuild indexes"] = time.perf_counter() - started
            log(f"rebuilt {len(dropped)} indexes in {report.seconds['rebuild indexes']:.1f} s")
        started = time.perf_counter()
        _event_with_evidence(rng, first_claim, claim_id)
        report.seconds["event and evidence"] = time.perf_counter() - started
    started = time.perf_counter()
    # VACUUM too, where it can run (not inside a transaction): it sets the visibility map, so counts can
    # use index-only scans as they would on a database that autovacuum looks after.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"{command} {table}")
    report.seconds["VACUUM and ANALYZE"] = time.perf_counter() - started
    return report


def _templates() -> list[_Template]:
    """Documents with claims, their claims and the claims' spans, as plain rows."""
    claims_by_document: dict[int, list[dict]] = {}
    for claim in Claim.objects.order_by("document", "sentence_start", "pk").values():
        claims_by_document.setdefault(claim["document_id"], []).append(claim)
    spans: dict[int, list[tuple[str, int, int]]] = {}
    for claim_id, role, start, end in ClaimSpan.objects.values_list("claim", "role", "start", "end"):
        spans.setdefault(claim_id, []).append((role, start, end))
    documents = Document.objects.filter(pk__in=claims_by_document, comments_on__isnull=True).values()
    return [
        _Template(
            document, claims_by_document[document["id"]], {c["id"]: spans.get(c["id"], []) for c in claims}
        )
        for document in documents.order_by("pk")
        for claims in [claims_by_document[document["id"]]]
    ]


def _speaker_pool(rng: random.Random) -> list[tuple[int, str]]:
    """(id, headline name) of the speakers claims are spread over: the existing actors plus made-up people.
    Repeated entries make a few speakers much more frequent, as in real coverage."""
    taken = {name.lower() for name in Actor.objects.values_list("name", flat=True)}
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    new = [name for name in names if name.lower() not in taken][:SYNTHETIC_ACTORS]
    Actor.objects.bulk_create(
        Actor(name=name, short_name=name.split()[-1], kind=Actor.Kind.PERSON) for name in new
    )
    actors = [
        (pk, short or name) for pk, name, short in Actor.objects.values_list("pk", "name", "short_name")
    ]
    rng.shuffle(actors)
    # Zipf-like: the i-th speaker appears about len/(i+1) times as often as the last.
    weighted = [actor for rank, actor in enumerate(actors) for _ in range(max(1, 40 // (rank + 1)))]
    return weighted


def _outlet_pool() -> list[int]:
    taken = {name.lower() for name in Outlet.objects.values_list("name", flat=True)}
    names = [f"The {place} {word}" for word in OUTLET_WORDS for place in OUTLET_PLACES][:SYNTHETIC_OUTLETS]
    Outlet.objects.bulk_create(
        Outlet(name=name, domain=f"{name.lower().replace(' ', '')}.example")
        for name in names
        if name.lower() not in taken
    )
    return list(Outlet.objects.values_list("pk", flat=True))


def _drop_plain_indexes(cursor) -> list[str]:
    """Drop the indexes of the filled tables that back no constraint; returns their definitions."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(TABLES)],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _drop_foreign_keys(cursor) -> list[tuple[str, str, str]]:
    """Drop the filled tables' own foreign keys; returns (table, name, definition) of each, to add back.
    A row's key is otherwise checked by a trigger queued for each row: a million claims queue a million."""
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
        ORDER BY conrelid::regclass::text, conname
        """,
        [list(TABLES)],
    )
    found = cursor.fetchall()
    for table, name, _definition in found:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return found


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _next_positions(templates: list[_Template]) -> dict[int, int]:
    """The next free document position in each source file the templates come from."""
    files = {template.document["source_file_id"] for template in templates}
    return {
        row["source_file"]: row["last"] + 1
        for row in Document.objects.filter(source_file__in=files)
        .values("source_file")
        .annotate(last=Max("position"))
    }


def _shift(day: date | None, days: int) -> date:
    return (day or date(2016, 6, 1)) + timedelta(days=days)


DOCUMENT_COLUMNS = (
    "id source_file_id position kind title section authors url outlet_id outlet_provenance published_on "
    "published_provenance standfirst text offset_map source_start source_end warnings created_at"
).split()


def _document_row(
    template: _Template, document_id: int, positions: dict[int, int], outlet: int, published: date, rng
) -> tuple:
    source = template.document
    position = positions[source["source_file_id"]]
    positions[source["source_file_id"]] = position + 1
    return (
        document_id,
        source["source_file_id"],
        position,
        source["kind"],
        (rng.choice(TITLE_PREFIXES) + source["title"])[:500],
        source["section"],
        source["authors"],
        f"https://synthetic.example/{document_id}",
        outlet,
        Document.Provenance.STATED,
        published,
        Document.Provenance.STATED,
        source["standfirst"],
        source["text"],
        Jsonb(source["offset_map"]),
        source["source_start"],
        source["source_end"],
        Jsonb([]),
        timezone.now(),
    )


CLAIM_COLUMNS = (
    "id document_id sentence_start sentence_end speaker_id speaker_text cue_lemma kind polarity "
    "is_direct_quote content_text headline said_on said_on_source said_on_text said_on_precision "
    "extractor_version status confidence review_rating_label version created_at updated_at"
).split()


def _claim_row(
    source: dict, claim_id: int, document_id: int, speaker: tuple[int, str] | None, published: date, rng
) -> tuple:
    headline = source["headline"]
    if speaker and source["speaker_text"] and headline.startswith(source["speaker_text"]):
        headline = speaker[1] + headline[len(source["speaker_text"]) :]
    elif speaker:
        headline = f"{speaker[1]}: {headline}"
    said_on = _shift(source["said_on"], rng.randint(-30, 0)) if source["said_on"] else published
    confidence = source["confidence"]
    if confidence is not None:
        confidence = min(1.0, max(0.0, confidence + rng.uniform(-0.1, 0.1)))
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    now = timezone.now()
    return (
        claim_id,
        document_id,
        source["sentence_start"],
        source["sentence_end"],
        speaker[0] if speaker else None,
        source["speaker_text"],
        source["cue_lemma"],
        source["kind"],
        source["polarity"],
        source["is_direct_quote"],
        source["content_text"],
        headline[:300],
        said_on,
        source["said_on_source"] if source["said_on"] else Claim.DateSource.PUBLICATION,
        source["said_on_text"],
        source["said_on_precision"] or "day",
        source["extractor_version"],
        status,
        confidence,
        "",
        1,
        now,
        now,
    )


SPAN_COLUMNS = ["id", "claim_id", "role", "start", "end"]
COLUMNS = dict(zip(TABLES, (DOCUMENT_COLUMNS, CLAIM_COLUMNS, SPAN_COLUMNS), strict=True))


def _copy(cursor, table: str, rows: list[tuple]) -> None:
    columns = ", ".join(f'"{column}"' for column in COLUMNS[table])
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _event_with_evidence(rng: random.Random, first_claim: int, end_claim: int) -> Event:
    """An event with three explanations, each with confirmed evidence for and against among the new
    claims, and an analyst's ratings of some of it, so the compare and matrix pages have work to do."""
    analyst, _ = get_user_model().objects.get_or_create(username="synthetic-analyst")
    event, _ = Event.objects.get_or_create(
        slug=EVENT_SLUG,
        defaults={"name": "Synthetic benchmark event", "place": "Nowhere", "occurred_on": date(2016, 11, 8)},
    )
    visible = set(
        Claim.objects.filter(pk__gte=first_claim, pk__lt=end_claim)
        .exclude(status=Claim.Status.REJECTED)
        .filter(pk__in=rng.sample(range(first_claim, end_claim), min(2000, end_claim - first_claim)))
        .values_list("pk", flat=True)
    )
    chosen = sorted(visible)
    now = timezone.now()
    for position, title in enumerate(("The first account", "The second account", "The third account")):
        explanation, _ = Explanation.objects.get_or_create(
            event=event, title=title, defaults={"position": position}
        )
        picked = rng.sample(chosen, min(EVIDENCE_PER_EXPLANATION, len(chosen)))
        Evidence.objects.bulk_create(
            (
                Evidence(
                    explanation=explanation,
                    claim_id=pk,
                    stance=rng.choice(Evidence.Stance.values),
                    status=Evidence.Status.CONFIRMED,
                    rule="synthetic",
                    decided_by=analyst,
                    decided_at=now,
                )
                for pk in picked
            ),
            ignore_conflicts=True,
        )
        Rating.objects.bulk_create(
            (
                Rating(
                    explanation=explanation,
                    claim_id=pk,
                    analyst=analyst,
                    consistency=rng.choice(Rating.Consistency.values),
                )
                for pk in picked[: EVIDENCE_PER_EXPLANATION // 2]
            ),
            ignore_conflicts=True,
        )
    return event
