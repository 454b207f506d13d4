# One image for every role: `docker run IMAGE api` or `docker run IMAGE worker` (default: run).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DUNNING_DATA_DIR=/data DUNNING_API_HOST=0.0.0.0
# LibreOffice turns letters into PDF; without it letters are attached as DOCX.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-crosextra-carlito \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY mailer mailer
COPY parsers parsers
COPY letter_templates letter_templates
COPY worker worker
RUN pip install --no-cache-dir --no-deps .

RUN useradd --create-home --uid 10001 dunning && mkdir -p /data && chown dunning /data
USER dunning
VOLUME /data
EXPOSE 8000
ENTRYPOINT ["dunning"]
CMD ["run"]
