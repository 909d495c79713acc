from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tokens", "0002_fill_agent_token_expiry")]

    operations = [
        migrations.RemoveConstraint(model_name="apitoken", name="api_token_expires"),  # NOT NULL says it now
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]
