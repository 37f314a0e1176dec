"""Indexes the claim pages need at a million claims (see `make bench`), as SQL because two of them sort
NULLS LAST and one indexes an expression the ORM writes for `claims_about`:

- newest said first, the claim list's default order: the first page without sorting every claim;
- a speaker's claims newest first (the filtered list, the actor page), their status included so counting
  a speaker's visible claims needs no visit to the table;
- the content's own search vector, which `sources.actors.claims_about` matches so that a speaker's own
  claims (whose headline names them) are not all read and re-parsed to count what others said about them.
"""

from django.db import migrations

INDEXES = {
    "claim_said_on_desc": "(said_on DESC NULLS LAST, id DESC)",
    "claim_speaker_said_on_desc": "(speaker_id, said_on DESC NULLS LAST, id DESC) INCLUDE (status)",
    "claim_content_search": "USING gin (to_tsvector('english'::regconfig, COALESCE(content_text, ''::text)))",
}


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_review_rating")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON claims_claim {definition}",
            reverse_sql=f"DROP INDEX {name}",
        )
        for name, definition in INDEXES.items()
    ]
