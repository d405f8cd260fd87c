"""Gunicorn settings for Tandem: `gunicorn -c tandem/gunicorn.conf.py` (docs/production.md).

Every value can be changed through the environment; the defaults suit one app machine behind nginx.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "tandem.wsgi:application"
raw_env = ["DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "tandem.settings_production")]

bind = os.environ.get("TANDEM_BIND", "127.0.0.1:8000").split(",")
# Requests are CPU-bound (templates, AES-GCM) with short database waits: a few processes per core.
workers = int(os.environ.get("TANDEM_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("TANDEM_THREADS", 1))
# Replace each worker after a while, at staggered times, so that slow leaks can never pile up.
max_requests = int(os.environ.get("TANDEM_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("TANDEM_MAX_REQUESTS_JITTER", 200))
# The app (settings, models, URLs) is imported once in the master and shared by the forked workers: they boot
# at once and use less memory. Database connections are opened in the workers only, at their first request.
preload_app = True
timeout = int(os.environ.get("TANDEM_WORKER_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("TANDEM_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("TANDEM_KEEPALIVE", 5))
# Only the proxy on this machine (or the one named) may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("TANDEM_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log: path without the query string (search terms stay out of logs), status, size, duration in ms.
accesslog = os.environ.get("TANDEM_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = os.environ.get("TANDEM_ERROR_LOG", "-")
loglevel = os.environ.get("TANDEM_GUNICORN_LOG_LEVEL", "info")
proc_name = "tandem"
# gunicorn's control socket in the writable state directory, one per installation (not in the home directory).
control_socket = os.environ.get(
    "TANDEM_CONTROL_SOCKET", os.path.join(os.environ.get("TANDEM_VAR_DIR", "var"), "gunicorn.ctl")
)


def pre_fork(server, worker) -> None:
    """Import the URL configuration (and with it every view) before forking, not in each worker's first request."""
    from django.urls import get_resolver

    _ = get_resolver().url_patterns
