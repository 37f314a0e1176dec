"""Load the seed list of actors (fixtures/actors.json) once, so every database knows the story's speakers."""

from django.db import migrations


def load(apps, schema_editor):
    from sources.actors import load_seed_actors

    load_seed_actors(models=apps)


class Migration(migrations.Migration):
    dependencies = [("sources", "0002_actor_actoralias_actor_actor_name_trgm_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
