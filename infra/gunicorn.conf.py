"""gunicorn settings shared by the Procfile, the embedded run and production (infra/).

HOST, PORT and WEB_WORKERS come from the environment as before.
"""

import gc
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = 4
accesslog = "-"
# Invitation and reset tokens never reach the access log (web/gunicorn_logging.py).
logger_class = "web.gunicorn_logging.MaskingLogger"
# The app answers an over-long address itself, with a page in the reader's language.
limit_request_line = 0
# No control socket: several instances on one host would otherwise share one in $HOME.
control_socket_disable = True


# Prometheus in multi-process mode (web/ops/metrics.py): with PROMETHEUS_MULTIPROC_DIR set,
# every worker writes its samples to files there. Start from an empty directory, and let go
# of a worker's live gauges when it exits (its counters and histograms are kept).
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        import shutil
        from pathlib import Path

        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for entry in path.glob("*.db"):
            entry.unlink()
        shutil.rmtree(path / "tmp", ignore_errors=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """What a worker loads at start-up (the app, its templates, the models' metadata) lives as
    long as the worker: moved out of the garbage collector's sight, so that its full passes,
    which a large page (LAN's cohort dashboard over 514 labs) sets off every few requests,
    no longer walk it all again (bench/cohort_dashboard.py: p95 CPU time 112 -> 44 ms)."""
    gc.collect()
    gc.freeze()
