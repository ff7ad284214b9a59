"""Entry point of a worker process: ``celery -A transcoder.worker worker -Q short`` (or long).

Like a WSGI module, importing this builds the application: it is only ever imported by the
Celery command line.
"""

from typing import Any

from celery.signals import worker_init

from repo_service import create_core_app
from repo_service.tasks import SHORT, TASK_MODULES

flask_app = create_core_app(name="transcoder")
celery = flask_app.extensions["celery"]
celery.conf.include = list(TASK_MODULES)


@worker_init.connect
def load_segmenter(sender: Any, **_: Any) -> None:
    """A worker that applies index updates loads jieba's dictionary (about 1 s) once, before
    its pool forks, so the first update after a start is as quick as the rest."""
    consumed = sender.app.amqp.queues.consume_from
    if consumed is not None and SHORT not in consumed:
        return
    from search.indexer import warm_segmenter

    with flask_app.app_context():
        warm_segmenter(flask_app.extensions["search"])
