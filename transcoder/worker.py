"""Entry point of a worker process: ``celery -A transcoder.worker worker -Q short`` (or long).

Like a WSGI module, importing this builds the application: it is only ever imported by the
Celery command line.
"""

from repo_service import create_core_app

flask_app = create_core_app(name="transcoder")
celery = flask_app.extensions["celery"]
celery.conf.include = [
    "transcoder.tasks",
    "repo_service.uploads.tasks",
    "repo_service.resources.tasks",
    "repo_service.outbox",
    "search.tasks",
]
