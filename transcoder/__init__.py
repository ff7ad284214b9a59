"""Transcoder: Celery tasks that probe, transcode and extract what teachers upload."""
