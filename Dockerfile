# A small image: the locked dependencies (requirements/runtime.txt, checked by hash) and the
# bot in a virtualenv, catalogs compiled at build time, migrations applied by the bot on
# every start. Everything but /data belongs to root: the bot's user cannot rewrite its code.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements/runtime.txt /tmp/runtime.txt
RUN /opt/venv/bin/pip install --require-hashes --no-deps -r /tmp/runtime.txt
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY db ./db
COPY locales ./locales
RUN /opt/venv/bin/pip install --no-deps . \
 && cd / && /opt/venv/bin/python -c "from bot.config import ROOT; from bot.i18n import compile_catalogs; compile_catalogs(ROOT / 'locales')"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 kenesh \
 && mkdir /data && chown kenesh:kenesh /data
COPY --from=build /opt/venv /opt/venv
# The working directory holds nothing the bot writes (its database is in /data).
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/kenesh.sqlite3
VOLUME /data
USER kenesh
CMD ["python", "-m", "bot"]
