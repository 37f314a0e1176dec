"""Page latency at scale: gunicorn (2 workers) serving the bench database, wrk on loopback per page,
side by side with /healthz measured in the same run, the workers' memory sampled meanwhile; and the
EXPLAIN (ANALYZE, BUFFERS) plan of each page's slowest query, captured from a test-client request.

Each page is loaded twice, each time after a second of warm-up: as a signed-out reader and as a
signed-in user. Both may be served a page kept while the database is unchanged (`claimtracker.pagecache`),
which is what wrk measures, as nothing changes during its run. The cost of rendering each page afresh,
the app's own speed, is timed apart: the median of a few requests of a signed-in user, one at a time,
with no page kept."""

from __future__ import annotations

import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import psutil

from bench.wrk import WrkResult, run_wrk

BIG_TABLES = ("claims_claim", "claims_claimspan", "articles_document")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


@dataclass
class Page:
    name: str
    path: str
    p99_target_ms: float = 150.0
    result: WrkResult | None = None  # signed out
    signed_in: WrkResult | None = None
    bytes: int = 0
    fresh_ms: float = 0.0  # median time to render it afresh for a signed-in user, one request at a time


@dataclass
class Plan:
    page: str
    milliseconds: float
    sql: str
    plan: str

    @property
    def seq_scans(self) -> list[str]:
        return [table for table in SEQ_SCAN.findall(self.plan) if table in BIG_TABLES]


@dataclass
class MemorySample:
    peak_worker_mb: float = 0.0
    peak_total_mb: float = 0.0
    samples: int = 0


@dataclass
class PagesBench:
    pages: list[Page]
    plans: list[Plan] = field(default_factory=list)
    memory: MemorySample = field(default_factory=MemorySample)
    seconds: int = 30


def choose_pages(search: str) -> list[Page]:
    """The pages to load, picked from the data: the busiest speaker (the worst case for the filtered list
    and the actor page), the newest document with claims, the synthetic event."""
    from django.db.models import Count, Max

    from analysis.models import Event
    from claims.filters import filter_claims
    from claims.models import Claim

    top = Claim.objects.exclude(speaker=None).values("speaker").annotate(n=Count("pk")).order_by("-n").first()
    document = Claim.objects.aggregate(last=Max("document"))["last"]
    event = Event.objects.order_by("-pk").first()
    speaker_said = Claim.objects.filter(speaker=top["speaker"]).aggregate(last=Max("said_on"))["last"]
    said_to = speaker_said or date.today()
    filtered = {
        "speaker": top["speaker"],
        "said_from": said_to.replace(year=said_to.year - 1),
        "said_to": said_to,
    }
    matches = filter_claims(Claim.objects.visible(), {"q": search}).count()
    pages = [
        Page("trivial view (/healthz)", "/healthz"),
        Page("claim list, unfiltered", "/claims/"),
        Page("claim list, speaker + date range", f"/claims/?{urlencode(filtered)}"),
        Page(
            f"full-text search “{search}” ({matches:,} matches)",
            f"/claims/?{urlencode({'q': search})}",
            p99_target_ms=100.0,
        ),
        Page("document reader", f"/documents/{document}/"),
        Page("actor page (busiest speaker)", f"/actors/{top['speaker']}/"),
    ]
    if event:
        pages.append(Page("compare page", f"/events/{event.slug}/"))
    return pages


def explain_pages(pages: list[Page], *, slower_than_ms: float = 20.0) -> list[Plan]:
    """For each page, the plan of its slowest query, and of any other query slower than `slower_than_ms`;
    and the time each takes to render afresh (`Page.fresh_ms`)."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(bench_user())
    plans = []
    with override_settings(PAGE_CACHE_SECONDS=0):  # a kept page would run no query to explain
        for page in pages[1:]:
            plans += _slowest_plans(client, page, slower_than_ms)
            page.fresh_ms = _median_ms(lambda page=page: client.get(page.path))
    return plans


def _median_ms(request: Callable[[], object], times: int = 5) -> float:
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _slowest_plans(client, page: Page, slower_than_ms: float) -> list[Plan]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(page.path)  # warm the caches as wrk will
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.path} answered {response.status_code}")
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    plans = []
    for number, query in enumerate(queries):
        if number and float(query["time"]) * 1000 < slower_than_ms:
            break
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plans.append(Plan(page.name, float(query["time"]) * 1000, query["sql"], plan))
    if not plans:
        raise RuntimeError(f"{page.path} ran no query to explain")
    return plans


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, *, workers: int = 2) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn serving the app on a free loopback port, production settings, the bench database."""
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_DEBUG="false",
        # The key this process signs sessions with, so the signed-in reader's session holds there too.
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    command = [sys.executable, "-m", "gunicorn", "claimtracker.wsgi:application", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"]
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@contextmanager
def sample_workers(server: subprocess.Popen, memory: MemorySample, interval: float = 0.5) -> Iterator[None]:
    """Record the peak RSS of gunicorn's workers (each, and master plus workers) while the block runs."""
    stop = threading.Event()
    master = psutil.Process(server.pid)

    def sample() -> None:
        while not stop.wait(interval):
            try:
                workers = [child.memory_info().rss for child in master.children()]
                total = master.memory_info().rss + sum(workers)
            except psutil.NoSuchProcess:
                continue
            memory.peak_worker_mb = max(memory.peak_worker_mb, max(workers, default=0) / 2**20)
            memory.peak_total_mb = max(memory.peak_total_mb, total / 2**20)
            memory.samples += 1

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


BENCH_USER = "bench-reader"


def bench_user():
    """A user with no permissions: pages as a signed-in reader sees them."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username=BENCH_USER)[0]


def signed_in_headers() -> dict[str, str]:
    """The Cookie header of a new session of the bench user."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(bench_user())
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def _warm_then_load(url: str, *, seconds: int, headers: dict[str, str] | None = None) -> WrkResult:
    """A second of load first, not counted, so every worker has the page's code, data and kept page warm
    (a single request warms one worker only), then the measured load."""
    run_wrk(url, seconds=1, headers=headers)
    return run_wrk(url, seconds=seconds, headers=headers)


def run_pages_bench(
    database_url: str, *, search: str, seconds: int, signed_in_seconds: int, log=print
) -> PagesBench:
    from django.core.management import call_command

    pages = choose_pages(search)
    bench = PagesBench(pages=pages, plans=explain_pages(pages), seconds=seconds)
    signed_in = signed_in_headers()
    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment would, for WhiteNoise
    with gunicorn(database_url) as (base, server):
        for page in pages:
            with urllib.request.urlopen(base + page.path, timeout=60) as response:
                page.bytes = len(response.read())
            request = urllib.request.Request(base + page.path, headers=signed_in)
            with urllib.request.urlopen(request, timeout=60) as response:
                if page.path != "/healthz" and BENCH_USER not in response.read().decode():
                    raise RuntimeError(f"{page.path} did not show {BENCH_USER} as signed in")
            with sample_workers(server, bench.memory):
                page.result = _warm_then_load(base + page.path, seconds=seconds)
                if page is not pages[0]:
                    page.signed_in = _warm_then_load(
                        base + page.path, seconds=signed_in_seconds, headers=signed_in
                    )
            for who, result in (("signed out", page.result), ("signed in", page.signed_in)):
                if result:
                    log(
                        f"  {page.name}, {who}: {result.requests_per_second:,.0f} req/s,"
                        f" p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, {result.errors} errors"
                    )
    return bench
