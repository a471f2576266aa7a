# The bot's service image: `docker build -t awesome-review .`, then see README.md § Deployment.
# Slim, non-root, one process per container: `serve` (receiver + worker, SQLite under /data) by default;
# deploy/compose.yml runs the web process and a worker apart, on Redis.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BOT_DATA_DIR=/data \
    PORT=8000
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --system --uid 10001 --user-group --home-dir /data --create-home --shell /usr/sbin/nologin bot
USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8000
# GET /healthz answers 200 while the queue store answers, 503 when it does not.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["awesome-review"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
