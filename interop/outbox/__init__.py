"""Documents leaving the establishment: one row per delivery, written with its cause, delivered by Celery."""
