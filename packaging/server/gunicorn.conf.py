"""gunicorn settings of the Enturf server (docs/deployment.md).

    gunicorn -c /etc/enturf/gunicorn.conf.py

Each value can be changed without editing this file through the environment variable
named beside it (the systemd unit's EnvironmentFile). gunicorn listens on the loopback
address only: nginx in front terminates TLS (packaging/server/nginx-enturf.conf).
"""

import multiprocessing
import os

wsgi_app = "enturf_server.wsgi:application"

# Loopback only: with ENTURF_HTTPS=1 the app trusts X-Forwarded-Proto, which must come
# from the proxy and never from a client reaching gunicorn directly.
bind = os.environ.get("ENTURF_GUNICORN_BIND", "127.0.0.1:8000")

# Bookings are short transactions waiting on PostgreSQL: a few sync workers per core.
workers = int(os.environ.get("ENTURF_GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"

# A counter's sync push (up to 16 MB of sales after a day offline) and a large seat-map
# upload take seconds, never a minute; a worker stuck that long is restarted.
timeout = int(os.environ.get("ENTURF_GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to the upstream open (see its `keepalive`)

# Restart each worker after a number of requests (jittered so they do not restart together):
# memory a long-running Python process accumulates is given back.
max_requests = 2000
max_requests_jitter = 200

# The heartbeat file on a RAM disk: a slow disk cannot make the arbiter kill workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# X-Forwarded-* headers are taken from nginx on this host only.
forwarded_allow_ips = os.environ.get("ENTURF_GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr: journald keeps them (journalctl -u enturf-server).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("ENTURF_GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "enturf-server"
