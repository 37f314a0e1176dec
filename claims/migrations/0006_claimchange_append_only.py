"""The claim history is append-only in the database too: UPDATE and DELETE of a ClaimChange row raise.

Row triggers do not fire on TRUNCATE, so `manage.py flush` (tests) and restoring a backup still work.
"""

from django.db import migrations

FORBID = """
CREATE FUNCTION claims_claimchange_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'claim history is append-only: % of claims_claimchange % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER claimchange_append_only BEFORE UPDATE OR DELETE ON claims_claimchange
    FOR EACH ROW EXECUTE FUNCTION claims_claimchange_append_only();
"""

ALLOW = """
DROP TRIGGER claimchange_append_only ON claims_claimchange;
DROP FUNCTION claims_claimchange_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_page_indexes")]

    operations = [migrations.RunSQL(FORBID, reverse_sql=ALLOW)]
