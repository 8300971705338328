"""gunicorn settings shared by the Procfile, the embedded run and production (infra/).

HOST, PORT and WEB_WORKERS come from the environment as before.
"""

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
