# Service Desk image: one image for web (gunicorn), the Celery worker, beat and the migrate step.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    SERVICEDESK_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image and served by whitenoise (hashed, compressed names).
# The build has no secrets: a throwaway key is enough for collectstatic.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-key python manage.py collectstatic --noinput -v 0 \
    && rm -f /app/var/secret_key \
    && useradd --system --uid 10001 --home-dir /app servicedesk \
    && mkdir -p /app/var/media \
    && chown -R servicedesk /app/var

USER servicedesk
EXPOSE 8000

# Processes get SIGTERM on `docker compose stop`: gunicorn finishes requests, the worker its task.
CMD ["gunicorn", "servicedesk.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--graceful-timeout", "30"]
