"""Gunicorn's settings, read from this folder by `gunicorn wsgi:app` (and by `make run`).

Threaded workers: each worker serves many connections, so a client that sends its
request slowly ties up one thread, not a whole worker. On the open internet, put a
reverse proxy that buffers requests in front (deploy/nginx.conf), and bind gunicorn to
an address only the proxy reaches.

Every setting can be overridden on the command line or in GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
# a request that takes longer than this is a bug: its worker is restarted
timeout = 30
graceful_timeout = 30
# how long an idle kept-alive connection may hold its place
keepalive = 5
# what a request line and its headers may hold (gunicorn refuses more with 400)
limit_request_line = 4096
limit_request_fields = 50
limit_request_field_size = 8190
