"""The System Log: append-only events in Okta's LogEvent shape (docs/okta-contract.md §5.3).

`data` holds the event exactly as the API returns it; the other columns copy
the attributes queries filter on, so that filters use indexes. There are no
foreign keys (docs/decisions/11): an event outlives what it describes. Targets get a
side table so that `target.id eq "…"` is an index lookup too."""

from django.db import models


class LogEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401 - the app has no path that changes an event
        raise TypeError("System Log events are append-only")

    def delete(self):
        raise TypeError("System Log events are append-only; see the purge_system_log command")


class LogEvent(models.Model):
    # Persistence order: polling reads in this order (docs/okta-contract.md §5.2).
    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(unique=True)
    published = models.DateTimeField()
    event_type = models.CharField(max_length=255)
    severity = models.CharField(max_length=8)
    actor_id = models.CharField(max_length=255)
    client_ip = models.CharField(max_length=64, null=True)
    outcome_result = models.CharField(max_length=16)
    request_api_token_id = models.CharField(max_length=20, null=True)
    transaction_id = models.CharField(max_length=64, null=True)
    search_text = models.TextField(default="")  # lower-case words for `q`
    data = models.JSONField()

    objects = LogEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["published", "id"], name="logevent_published"),
            models.Index(fields=["event_type", "published", "id"], name="logevent_type"),
            # Polling reads in persistence (id) order: filter by type, walk ids.
            models.Index(fields=["event_type", "id"], name="logevent_type_id"),
            models.Index(fields=["actor_id", "published", "id"], name="logevent_actor"),
            models.Index(fields=["client_ip", "published", "id"], name="logevent_ip"),
            models.Index(fields=["outcome_result", "published", "id"], name="logevent_outcome"),
            models.Index(fields=["request_api_token_id", "published", "id"], name="logevent_token"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.published:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("System Log events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("System Log events are append-only")

    def to_okta(self) -> dict:
        return self.data


class LogEventTarget(models.Model):
    """One row per target of an event, for `target.id` filters (no FK: docs/decisions/11)."""

    event_id = models.BigIntegerField()
    target_id = models.CharField(max_length=255)
    target_type = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["target_id", "event_id"], name="logtarget_target")]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id} of event {self.event_id}"


class HourlyCount(models.Model):
    """Events per (UTC hour, event type), bumped by record() in the event's own transaction
    (syslog/counts.py): the System Log page counts and charts a month of events by summing a few
    hundred of these rows instead of counting up to a million events. Like the events, the rows
    are never edited by the application: a count only grows, by one per event (on PostgreSQL a
    trigger refuses anything else, migration 0004), and only the purge deletes the hours past
    retention, with their events (docs/decisions/11)."""

    hour = models.DateTimeField()
    event_type = models.CharField(max_length=255)
    events = models.PositiveBigIntegerField()

    objects = LogEventQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hour", "event_type"], name="hourlycount_hour_type")]
        indexes = [models.Index(fields=["event_type", "hour"], name="hourlycount_type_hour")]

    def __str__(self) -> str:
        return f"{self.events} × {self.event_type} at {self.hour:%Y-%m-%d %H}:00"
