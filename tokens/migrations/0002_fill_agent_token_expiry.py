"""docs/decisions/07 changed: every token expires, agent tokens too. An agent token that had no expiry while its
agent was active gets the one it would have had: its last use (or, never used, its creation) + 30 days.
A separate migration from the schema change, so that on PostgreSQL the UPDATEs commit before the
ALTER TABLE that makes the column NOT NULL."""

from datetime import timedelta

from django.db import migrations

TOKEN_WINDOW = timedelta(days=30)  # tokens.models.TOKEN_WINDOW when this was written; a migration keeps its own


def fill_expiry(apps, schema_editor):
    ApiToken = apps.get_model("tokens", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "last_used", "created"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=(token.last_used or token.created) + TOKEN_WINDOW)


class Migration(migrations.Migration):
    dependencies = [("tokens", "0001_initial")]

    operations = [migrations.RunPython(fill_expiry, migrations.RunPython.noop)]
