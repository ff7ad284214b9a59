"""Entry point of a worker process: ``celery -A transcoder.worker worker -Q short`` (or long).

Like a WSGI module, importing this builds the application: it is only ever imported by the
Celery command line.
"""

from repo_service import create_core_app
from repo_service.tasks import TASK_MODULES

flask_app = create_core_app(name="transcoder")
celery = flask_app.extensions["celery"]
celery.conf.include = list(TASK_MODULES)
