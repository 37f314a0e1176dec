"""A throwaway database for the benchmarks, on the server the app uses (DATABASE_URL or the embedded one),
so the user's own data is never touched."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BENCH_DATABASE = "claimtracker_bench"


def server_url() -> str:
    """The app's database URL; attaching to the embedded server keeps it running while we live."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from claimtracker.database import embedded_server_url, var_dir

    return embedded_server_url(var_dir() / "pgdata")


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str, name: str = BENCH_DATABASE) -> str:
    """Drop `name` if it exists, create it empty, and return its URL."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(url, name)


def drop_database(url: str, name: str = BENCH_DATABASE) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def server_version(url: str) -> str:
    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]
