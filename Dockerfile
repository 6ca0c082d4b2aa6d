# A small image: dependencies in a virtualenv, catalogs compiled at build time,
# migrations applied by the bot on every start, running as a non-root user.
FROM python:3.11-slim AS build
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY db ./db
COPY locales ./locales
RUN /opt/venv/bin/pip install . \
 && /opt/venv/bin/python -c "from pathlib import Path; from bot.i18n import compile_catalogs; compile_catalogs(Path('locales'))"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 kenesh
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=kenesh:kenesh /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    LOCALES_DIR=/app/locales DATABASE_URL=sqlite+aiosqlite:////data/kenesh.sqlite3
RUN mkdir /data && chown kenesh:kenesh /data
VOLUME /data
USER kenesh
CMD ["python", "-m", "bot"]
