# copydesk web app. `docker compose up` runs it against PostgreSQL (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/copydesk

# WeasyPrint (the PDF evidence report) renders with pango; fonts for the text it sets.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The app reads migrations/, templates/, static/ and app/demo_data/ from the source tree at run
# time (app.config.PROJECT_ROOT), so the project is installed editable from this folder.
# The install compiles the alignment engine (setup.py, Cython): a C compiler is there for the
# build only, and the build fails if the engine did not compile.
COPY pyproject.toml setup.py README.md ./
COPY app ./app
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && python -m pip install --upgrade pip \
    && python -m pip install --editable . \
    && python -c "import app.align as a, sys; sys.exit(not a.compiled_modules())" \
    && apt-get purge -y --auto-remove gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/* build \
    && useradd --create-home --uid 10001 copydesk \
    && mkdir -p data \
    && chown copydesk data
COPY alembic.ini ./
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static

USER copydesk
ENV HOST=0.0.0.0 \
    PORT=8000
EXPOSE 8000

# Migrations run on every start; serve loads the demo pairs into an empty database.
CMD ["sh", "-c", "copydesk migrate && copydesk realign && exec copydesk serve"]
