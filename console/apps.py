from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The console shell: what knows every app's pages and data at once. The left navigation
    (context_processors.py) lists each app's pages, and `load_demo` runs each app's demo module;
    both sit here, the top layer, so that no app below has to know the apps above it."""

    name = "console"
    verbose_name = "Console shell"
