# One image per service, all from this file: the build argument SERVICE names the service, and the
# command picks the process: api | relay | consumer | migrate. Build from the repository root:
#   docker build --build-arg SERVICE=identity -t canopy/identity .
# The web client is built the same way from clients/ (FOLDER), and runs api | migrate too:
#   docker build --build-arg SERVICE=web --build-arg FOLDER=clients -t canopy/web .
# docker-compose.yml builds every image this way; Kubernetes runs the same images.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/canopy-metrics \
    METRICS_PORT=9100 \
    CANOPY_DATA_DIR=/var/lib/canopy
WORKDIR /app
# The data folder is where a service keeps files (portfolio's evidence): mount a volume there.
RUN useradd --system --uid 10001 --no-create-home canopy \
    && mkdir -p /var/lib/canopy && chown canopy:canopy /var/lib/canopy

# Every dependency at the version the lock names, each file checked against its hash
# (requirements-runtime.lock: the services' dependencies without the test tools; `make lock`).
COPY requirements-runtime.lock ./
RUN pip install --require-hashes --no-deps -r requirements-runtime.lock
# Installed in place (-e): the kit reads its migrations and templates from its source folder.
# The shared libraries come first, so a change to the service alone reuses their layer. Nothing
# more is fetched (--no-deps, and the lock's setuptools builds them); `pip check` proves the lock
# held everything they need.
COPY libs/ libs/
RUN pip install --no-deps --no-build-isolation -e libs/contracts -e libs/kit
COPY deploy/gunicorn.conf.py deploy/gunicorn.conf.py

# Declared only here, so every layer above is the same for every service and built once.
ARG SERVICE
# services/ for a service, clients/ for the web client.
ARG FOLDER=services
ENV CANOPY_SERVICE=${SERVICE}
COPY ${FOLDER}/${SERVICE}/ ${FOLDER}/${SERVICE}/
RUN { test -n "${SERVICE}" && test -f "${FOLDER}/${SERVICE}/pyproject.toml"; } \
        || { echo "build with --build-arg SERVICE=<a folder of services/, or of clients/ with FOLDER=clients>" >&2; \
             exit 1; } \
    && pip install --no-deps --no-build-isolation -e "${FOLDER}/${SERVICE}" && pip check

USER 10001
# 8000: the API or the web client (and its /metrics); 9100: /metrics of the relay and the consumer.
EXPOSE 8000 9100
# `canopy <service> <command>`: the shell only puts the image's service in, then gives way to
# canopy (exec), so signals reach canopy itself.
ENTRYPOINT ["/bin/sh", "-c", "exec canopy \"$CANOPY_SERVICE\" \"$@\"", "canopy"]
CMD ["api", "--config", "deploy/gunicorn.conf.py"]
