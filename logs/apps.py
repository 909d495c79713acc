from django.apps import AppConfig


class LogsConfig(AppConfig):
    """Reports › System Log and GET /api/v1/logs: the System Log as people and clients read it.
    The store itself (model, record(), catalogue, query) is `syslog`, a low layer every app writes to;
    reading it needs accounts' permissions and the console's decorators, so the reader sits up here."""

    name = "logs"
    verbose_name = "System Log pages and API"
