"""The production WSGI application with the answering process's pid in a header, so the fault tests can
tell gunicorn's workers apart (test-only: production never says which process answered)."""

import os

from config.wsgi import application as warden


def application(environ, start_response):
    def with_pid(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Test-Worker", str(os.getpid()))], exc_info)

    return warden(environ, with_pid)
