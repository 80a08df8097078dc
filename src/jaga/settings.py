"""Settings, read from `JAGA_*` environment variables (and an optional `.env` file).

There is no module-level instance: only the composition roots (`jaga.app.create_app` and the CLI root
callback) call `get_settings()`; everything below them receives plain values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("data")


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_prefix="JAGA_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means an SQLite file under data_dir. "
        "postgresql:// URLs use psycopg 3.",
    )
    base_url: str | None = Field(
        default=None,
        description="public address (scheme, host, port) for problem `type` links and certificate QR codes; "
        "unset: the API takes it from each request, the command line from host and port",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    cli_language: str = Field(
        default="",
        # gettext's own order of variables, so that a shell in `id_ID.UTF-8` gets Indonesian output
        validation_alias=AliasChoices("JAGA_CLI_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"),
        description="language of the commands' own table output (faces): the locale as gettext reads it "
        "(JAGA_CLI_LANGUAGE, then LANGUAGE, LC_ALL, LC_MESSAGES, LANG); `id...` is Bahasa Indonesia, "
        "anything else English. JSON output never changes",
    )
    debug: bool = Field(
        default=False,
        description="also print a bug's traceback on stderr (it always goes to data_dir/logs/errors.log)",
    )
    token: SecretStr | None = Field(
        default=None, description="API token the CLI acts with (JAGA_TOKEN), like the API's bearer token."
    )
    ledger_origin: str = Field(
        default="jaga.local/ledger",
        description="the log's identity: first line of every checkpoint and the name of its key",
    )
    ledger_key_dir: Path | None = Field(
        default=None, description="where the log key lives (default data_dir/keys)"
    )
    witness_vkeys: list[str] = Field(
        default_factory=list, description="verifier keys of the witnesses whose cosignatures the log accepts"
    )
    witness_policy: Path | None = Field(
        default=None,
        description="C2SP tlog-policy file (or a folder of *.policy files, each with its validity window): "
        "the witnesses the log pushes checkpoints to (URL and key) and the quorum adoption certificates need",
    )
    duckdb_memory_limit: str | None = Field(
        default=None,
        pattern=r"^\d+(\.\d+)?\s*[KMGTkmgt]i?[Bb]$",
        description="memory DuckDB may use for linkage, e.g. 8GB (default: half the machine)",
    )
    spark_master: str = Field(default="local[2]", description="Spark master URL for `--engine spark`")
    spark_partitions: int = Field(default=8, ge=1, le=100_000, description="Spark shuffle partitions")
    spark_driver_memory: str = Field(default="4g", pattern=r"^\d+[kmgt]?$", description="Spark driver memory")
    # How long a successful argon2 token check is remembered in-process. Tokens are 256-bit random, so the
    # slow hash protects the stored hashes at rest; re-hashing on every request would only add latency.
    token_cache_seconds: int = Field(default=60, ge=0, le=3600)
    import_upload_mb: int = Field(
        default=50, ge=1, le=4096, description="largest file the workbench's import page accepts, in MB"
    )

    photo_upload_mb: int = Field(
        default=10, ge=1, le=100, description="largest photo file `jaga photos add` and the API accept, in MB"
    )

    @model_validator(mode="after")
    def _fill_and_check(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'jaga.db').as_posix()}"
        self.database_url = normalise_database_url(self.database_url)
        if self.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError(
                "JAGA_DATABASE_URL must point at PostgreSQL in production; SQLite is for one machine only"
            )
        return self

    @property
    def key_dir(self) -> Path:
        return self.ledger_key_dir or self.data_dir / "keys"

    @property
    def served_url(self) -> str:
        """The configured public address, else the one `jaga serve` listens on (for the command line)."""
        return self.base_url or f"http://{self.host}:{self.port}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalise_database_url(url: str) -> str:
    """Make `postgresql://` and `postgres://` URLs use the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def get_settings() -> Settings:
    """Read the settings from the environment (called by composition roots only)."""
    return Settings()
