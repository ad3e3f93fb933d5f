"""One settings object, read from the environment (SPEC: Environment) and passed in."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAPPINGS_DIR = PROJECT_ROOT / "mappings"


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
    # torch threads for query embedding in the API (the indexer keeps torch's default)
    api_embedding_threads: int = Field(default=1, ge=1, le=64)
    api_keys_file: Path | None = None
    api_keys: str | None = None
    allow_anonymous: bool = False

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
