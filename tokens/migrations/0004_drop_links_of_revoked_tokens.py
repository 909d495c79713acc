"""Issue 16.4: a network update that raced a revocation could leave a revoked token linked to zones,
and such a link blocked the zone's deletion for good. Revocation removes a token's links, and updates of
revoked tokens are now refused; this removes the links such races left behind."""

from django.db import migrations


def drop_links_of_revoked_tokens(apps, schema_editor):
    TokenZone = apps.get_model("tokens", "TokenZone")
    TokenZone.objects.exclude(token__status="ACTIVE").delete()


class Migration(migrations.Migration):
    dependencies = [("tokens", "0003_expiry_required")]

    operations = [migrations.RunPython(drop_links_of_revoked_tokens, migrations.RunPython.noop)]
