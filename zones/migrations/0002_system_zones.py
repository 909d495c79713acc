"""Seed the system zones (docs/decisions/12): LegacyIpZone, BlockedIpZone and, when
settings.SEED_ENHANCED_DYNAMIC_ZONE is on, DefaultEnhancedDynamicZone."""

from django.db import migrations


def seed(apps, schema_editor):
    from zones.seed import seed_system_zones

    seed_system_zones(apps.get_model("zones", "NetworkZone"))


class Migration(migrations.Migration):
    dependencies = [("zones", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
