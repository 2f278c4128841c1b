# Alexi: the web application image (also used for the Celery worker and beat).
# Build: docker compose build   (or: docker build -t alexi .)
# See README.md, "Deploying with docker-compose".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The application runs as an ordinary user, never as root.
RUN groupadd --system alexi \
    && useradd --system --gid alexi --create-home --home-dir /home/alexi --shell /usr/sbin/nologin alexi

WORKDIR /app

# Dependencies first, so this layer is reused while only the code changes. pyproject.toml
# declares no Python packages of its own (the code runs from /app), so `pip install .` installs
# the project's dependencies, without the dev extras.
COPY pyproject.toml /tmp/alexi-build/pyproject.toml
RUN cd /tmp/alexi-build && pip install . && cd / && rm -rf /tmp/alexi-build

# The code stays owned by root: the running application can read it but not change it.
COPY . /app

# Gather CSS/JS into /app/staticfiles (served by WhiteNoise). Settings must import here without
# a real secret or database: DATABASE_URL is set (so no embedded PostgreSQL is started) but is
# never connected to. These values exist for this one command only; they are not kept in the image.
RUN SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput

USER alexi

EXPOSE 8000

# The access log leaves out query strings and the Referer header (they can carry tokens).
CMD ["gunicorn", "alexi.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(B)s %(M)sms"]
