"""One settings object, read from the environment (docs/contract.md: Environment) and passed in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# how the embedding model runs (core/embedder.py; README: Embedding backend)
EmbeddingBackend = Literal["torch", "onnx", "onnx-qint8", "openvino"]
EMBEDDING_BACKENDS: tuple[EmbeddingBackend, ...] = get_args(EmbeddingBackend)
MAPPINGS_DIR = PROJECT_ROOT / "mappings"
# the document types: each has its mapping, its alias `{INDEX_PREFIX}-{type}` and its builds
DOC_TYPES: tuple[str, ...] = ("providers", "passages")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    es_port: int = Field(default=9200, ge=1, le=65535)
    es_url: str = ""
    es_username: str | None = None
    es_password: str | None = None
    es_timeout_s: float = Field(default=10.0, gt=0)
    index_prefix: str = Field(default="caresearch", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    port: int = Field(default=8000, ge=1, le=65535)
    embedding_model: str = ""
    # vectors of one backend only match that backend's: changing it needs a rebuild
    embedding_backend: EmbeddingBackend = "onnx-qint8"
    # threads for query embedding in the API (one short query gains nothing from a second,
    # which would fight the engine), and for document embedding in the indexer
    api_embedding_threads: int = Field(default=1, ge=1, le=64)
    indexer_embedding_threads: int = Field(default=2, ge=1, le=64)
    api_keys_file: Path | None = None
    api_keys: str | None = None
    allow_anonymous: bool = False
    # request-path defenses (search_api/access.py, search_api/rate_limit.py, docs/security.md)
    public_search_key: str | None = None  # handed to the search page; scopes search and suggest only
    cors_origins: str = ""  # comma-separated allowlist of browser origins; none by default
    rate_limit_per_minute: float = Field(default=0, ge=0)  # per caller (key, or IP); 0 turns limits off
    rate_limit_burst: int = Field(default=0, ge=0)  # 0: a tenth of a minute's allowance, at least 10
    trusted_proxies: str = ""  # comma-separated IPs/CIDRs whose X-Forwarded-For is believed
    # comma-separated names the service answers to (Host); unset: loopback names only
    allowed_hosts: str = ""
    # the key of the HMAC that crisis queries are logged as; unset: a random key per process
    log_hash_key: str | None = Field(default=None, repr=False)
    embed_queue_max: int = Field(default=32, ge=0)  # queries waiting for the model; beyond, 503 overloaded
    # on SIGTERM, how long in-flight requests may run before they are cancelled
    shutdown_grace_s: int = Field(default=10, ge=0, le=300)
    # "today" for relative dates in queries ("available this week"); fixed (TODAY=2026-12-06)
    # so that evaluations are reproducible, else the server's date
    today: date | None = None

    def current_date(self) -> date:
        return self.today or date.today()

    @field_validator("embedding_backend", mode="before")
    @classmethod
    def _backend_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("api_keys_file", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        # API_KEYS_FILE= (empty) means no file, not the current directory
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _default_url(self) -> Settings:
        if not self.es_url:
            self.es_url = f"http://127.0.0.1:{self.es_port}"
        self.es_url = self.es_url.rstrip("/")
        return self

    @property
    def providers_alias(self) -> str:
        return f"{self.index_prefix}-providers"

    @property
    def passages_alias(self) -> str:
        return f"{self.index_prefix}-passages"

    def alias_for(self, doc_type: str) -> str:
        if doc_type == "providers":
            return self.providers_alias
        if doc_type == "passages":
            return self.passages_alias
        raise ValueError(f"unknown document type {doc_type!r}")
