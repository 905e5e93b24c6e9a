FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 1000 rbm
# WeasyPrint (the report's PDF): Pango, HarfBuzz's subsetter, fonts with accents.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN pip install --no-cache-dir . \
    && DEBUG=true python manage.py compile_catalogues \
    && DEBUG=true python manage.py collectstatic --no-input \
    && mkdir -p /app/media && chown -R rbm /app/media
USER rbm
EXPOSE 8000
CMD ["gunicorn", "rbm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
