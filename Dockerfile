# Image for web, worker and beat (docker-compose.yml). WeasyPrint needs Pango from Debian.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --no-cache-dir -r requirements/lock.txt
COPY . .
RUN python -m apps.core.i18n_compile locale/fr/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
RUN useradd --create-home portage && mkdir -p /data/media && chown portage /data/media
USER portage
EXPOSE 8000
