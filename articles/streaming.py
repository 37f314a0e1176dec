"""Big values (a file's bytes, its decoded text) written into a stored row a piece at a time.

Through the ORM, psycopg binds parameters on the client: it quotes and escapes each value into one SQL
string (bytea as hex, twice its size), copied again on its way out: 650 MB more for a 50 MB file, most of
it kept by libpq afterwards. Binding on the server for every query would break some of Django's queries
(parameters in a SELECT list, for one), and even for one query libpq would hold the whole row in its output
buffer. COPY takes the values a piece at a time; as it can only insert, they go through a temporary table.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model

# Characters (or bytes) sent to PostgreSQL at a time; a value up to this size may as well go in its row.
CONTENTS_PIECE = 1 << 20


def fits_in_row(value: bytes | str) -> bool:
    """Whether `value` may simply be bound into its row's INSERT: streaming costs four more queries (a
    third of the time to ingest an article), binding a value of one piece a few megabytes at most."""
    return len(value) <= CONTENTS_PIECE


def stream_into_row(instance: Model, **values: bytes | str) -> None:
    """Set the fields named in `values` (bytea or text columns) of `instance`'s stored row, streaming each
    value with COPY; `instance` gets the values too."""
    meta, quote = instance._meta, connection.ops.quote_name
    names = list(values)
    types = ["bytea" if isinstance(values[name], bytes) else "text" for name in names]
    assignments = ", ".join(
        f"{quote(meta.get_field(name).column)} = streamed.value_{index}" for index, name in enumerate(names)
    )
    with connection.cursor() as cursor:
        columns = ", ".join(f"value_{index} {type_}" for index, type_ in enumerate(types))
        cursor.execute(f"CREATE TEMPORARY TABLE streamed_values ({columns})")
        with connection.wrap_database_errors, cursor.copy("COPY streamed_values FROM STDIN") as copy:
            for index, name in enumerate(names):
                if index:
                    copy.write("\t")
                for piece in _copy_pieces(values[name]):
                    copy.write(piece)
            copy.write("\n")
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {assignments} FROM streamed_values streamed"
            f" WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = %s",
            [instance.pk],
        )
        # Not left to ON COMMIT: inside an outer transaction the next row would find it still there.
        cursor.execute("DROP TABLE streamed_values")
    for name, value in values.items():
        setattr(instance, name, value)


def _copy_pieces(value: bytes | str):
    """`value` as one field of COPY's text format, a piece at a time."""
    if isinstance(value, bytes):
        yield "\\\\x"  # COPY's escape for the backslash of bytea's hex form
        view = memoryview(value)
        for start in range(0, len(view), CONTENTS_PIECE):
            yield view[start : start + CONTENTS_PIECE].hex()
        return
    for start in range(0, len(value), CONTENTS_PIECE):
        yield _copy_escaped(value[start : start + CONTENTS_PIECE])


def _copy_escaped(text: str) -> str:
    """`text` as a field of COPY's text format, which gives backslash, tab and line breaks a meaning."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
