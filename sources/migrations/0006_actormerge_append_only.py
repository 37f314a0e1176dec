"""Actor merges are append-only in the database, except that undoing one sets its undone_at/undone_by once.

Any other UPDATE, and every DELETE, raises. Row triggers do not fire on TRUNCATE (`flush`, restores).
"""

from django.db import migrations

FORBID = """
CREATE FUNCTION sources_actormerge_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.undone_at IS NULL AND NEW.undone_at IS NOT NULL
        AND to_jsonb(NEW) - 'undone_at' - 'undone_by_id' = to_jsonb(OLD) - 'undone_at' - 'undone_by_id' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'merge history is append-only: % of sources_actormerge % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER actormerge_append_only BEFORE UPDATE OR DELETE ON sources_actormerge
    FOR EACH ROW EXECUTE FUNCTION sources_actormerge_append_only();
"""

ALLOW = """
DROP TRIGGER actormerge_append_only ON sources_actormerge;
DROP FUNCTION sources_actormerge_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("sources", "0005_actor_merged_into_actormerge")]

    operations = [migrations.RunSQL(FORBID, reverse_sql=ALLOW)]
