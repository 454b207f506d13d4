"""Typed configuration, built once at start-up from the environment (prefix DUNNING_)."""

import ipaddress
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "password", "xxx"}


class ConfigurationError(Exception):
    """A setting is missing or unusable; raised at start-up so the service never half-runs."""


class Settings(BaseSettings):
    """Every option of the service, with embedded defaults that need no servers."""

    model_config = SettingsConfigDict(env_prefix="DUNNING_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Folder for the SQLite file, drop inbox and outbox.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default sqlite:///<data_dir>/dunning.db. PostgreSQL: "
        "postgresql+psycopg://user@host/db."
    )
    redis_url: str | None = Field(
        None, description="Redis for rq; when unset, `dunning run` starts a private redis-server in data_dir."
    )
    mailbox_url: str | None = Field(
        None, description="Inbound mailbox: imap://user:pass@host:port/INBOX, imaps://..., or maildir:///path. "
        "Default: a Maildir drop folder <data_dir>/inbox."
    )
    smtp_url: str | None = Field(
        None, description="Outgoing transport: smtp://, smtps://, smtp+starttls://user:pass@host:port or "
        "file:///path. Default: .eml files in <data_dir>/outbox."
    )
    service_address: str = Field(
        "invoices@dunning.localhost",
        description="The service mailbox address businesses BCC; replies come back to it with a +token.",
    )
    authserv_id: str | None = Field(
        None, description="The authserv-id of the receiving MTA whose Authentication-Results (RFC 8601) are "
        "trusted, e.g. mx.google.com (Gmail / Google Workspace), a Microsoft 365 or Fastmail host name. A DMARC "
        "pass (or aligned DKIM pass) from it proves a business's sender domain. Unset: only mail delivered to a "
        "business's secret ingest address counts as its invoices.",
    )
    message_id_domain: str = Field("dunning.localhost", description="Domain part of our Message-IDs.")
    processed_folder: str = Field("Processed", description="Mailbox folder for handled mail.")
    quarantine_folder: str = Field("Quarantine", description="Mailbox folder for mail needing review.")
    sent_folder: str = Field(
        "Sent", description="Mailbox folder that keeps a copy of every sent message (IMAP APPEND after the SMTP "
        "server accepted it); searched by Message-ID before a send that may already have happened is retried.",
    )
    sent_copy_address: str = Field(
        "auto", description="Envelope-only extra recipient through which the SMTP server files a copy of each "
        "message in our mailbox at acceptance (the proof that survives a crash right after the server's 250). "
        "auto: the service address plus-tagged +sent; off: none (a crash in that window may then duplicate one "
        "letter).",
    )
    tick_interval_seconds: int = Field(300, description="How often `run`/`worker` decides due reminders.")
    idle_timeout_seconds: int = Field(60, description="Longest IMAP IDLE wait before polling again.")
    send_attempts: int = Field(
        8, ge=1, description="Delivery attempts per message after temporary SMTP failures (4xx) before it fails "
        "and the business is told; the waits grow from 5 minutes to 6 hours, about a day in all.",
    )
    inbound_max_attempts: int = Field(
        3, ge=1, description="Attempts at an inbound message whose processing fails with an unexpected error (a "
        "bug) before it is shunted to `failed` and the business or operator is told. Transient errors (database, "
        "network, locks) are retried with back-off without limit and never count as bad input.",
    )
    smtp_connections: int = Field(
        2, ge=0, description="Open SMTP connections each worker process keeps to the relay and reuses for "
        "consecutive messages (RSET between, reconnect on failure); 0: a new connection per message.",
    )
    send_rate_per_business: int = Field(
        600, ge=0, description="Messages a minute one business may send, across all workers (a Redis token "
        "bucket); a burst beyond it waits (deferred, not failed, no attempt counted). 0: no limit.",
    )
    send_rate_per_domain: int = Field(
        120, ge=0, description="Messages a minute one business may send to one recipient domain, across all "
        "workers, so a burst to one provider is not read as spam. 0: no limit.",
    )
    letter_format: str = Field(
        "auto", pattern="^(auto|pdf|docx)$",
        description="Attachment format of letters: pdf (needs LibreOffice), docx, or auto (pdf when installed).",
    )
    warm_pdf: bool = Field(
        True, description="Keep LibreOffice running (unoserver) in long-running processes, ~0.1-0.2 s a letter "
        "instead of ~1 s; falls back to cold conversion when unoserver is not installed or stops.",
    )
    unoserver_command: Path = Field(
        Path(".venv-uno/bin/unoserver"), description="The unoserver server command (scripts/install.sh puts it "
        "in a venv that sees Debian's python3-uno).",
    )
    admin_api_key: str | None = Field(
        None, description="Key for the operator endpoints (mail that belongs to no business), at least 16 "
        "characters. Unset: those endpoints answer 404."
    )
    auth_failure_limit: int = Field(
        10, ge=1, description="Failed authentications (wrong or revoked API key, wrong admin key) a client may "
        "make within the window before it gets 429, even with the right key."
    )
    auth_failure_window_seconds: int = Field(60, ge=1, description="The window of auth_failure_limit.")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For names the client (for the failed-authentication limit). Empty: the connecting address "
        "is the client.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated browser origins allowed to call the API "
        "(https://app.example.nl). Empty: no CORS headers at all.",
    )
    log_format: str = Field(
        "auto", pattern="^(auto|json|console)$",
        description="Log lines: json (one JSON object a line), console (key=value lines), or auto (console on a "
        "terminal, json otherwise).",
    )
    api_host: str = Field("127.0.0.1", description="Address the API listens on.")
    api_port: int = Field(8000, description="Port the API listens on.")
    raw_message_retention_days: int = Field(
        365, ge=1, le=36500,
        description="Days an inbound message's raw bytes are kept; the daily purge (and `dunning purge`) empties "
        "older ones, keeping their timeline. Invoices' source messages are kept (fiscal retention).")
    api_workers: int = Field(
        1, ge=1, le=64, description="API worker processes sharing the API's port (`dunning api` and `dunning run`); "
        "more than one uses more cores under concurrent clients. Each keeps its own failed-authentication counts.",
    )
    webhook_allow_private: bool = Field(
        False, description="Allow webhook URLs on loopback, private or link-local addresses (tests, an internal "
        "system on the same network); off, such targets are refused when created and when delivered.",
    )

    @field_validator("mailbox_url", "smtp_url", "redis_url", "database_url")
    @classmethod
    def _refuse_placeholder_secrets(cls, value: str | None) -> str | None:
        if value and any(f":{word}@" in value.lower() for word in _PLACEHOLDER_SECRETS):
            raise ValueError("contains a placeholder password; set the real one")
        return value

    @field_validator("admin_api_key")
    @classmethod
    def _refuse_weak_admin_key(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value.lower() in _PLACEHOLDER_SECRETS or len(value) < 16:
            raise ValueError("is a placeholder or shorter than 16 characters; generate one with "
                             "python -c 'import secrets; print(secrets.token_urlsafe(32))'")
        return value

    @field_validator("trusted_proxies", "cors_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)") \
                    from None
        return value

    @property
    def effective_sent_copy_address(self) -> str | None:
        """The sent-copy address, or None when switched off."""
        value = self.sent_copy_address.strip()
        if value.lower() in ("", "off", "none"):
            return None
        if value.lower() == "auto":
            local, _, domain = self.service_address.partition("@")
            return f"{local.split('+', 1)[0]}+sent@{domain}"
        return value

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'dunning.db').resolve()}"

    @property
    def effective_mailbox_url(self) -> str:
        return self.mailbox_url or f"maildir://{(self.data_dir / 'inbox').resolve()}"

    @property
    def effective_smtp_url(self) -> str:
        return self.smtp_url or f"file://{(self.data_dir / 'outbox').resolve()}"


def load_settings(**overrides: object) -> Settings:
    """Build the settings object; configuration errors surface here, at start-up."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except Exception as exc:  # pydantic's ValidationError lists every bad field
        raise ConfigurationError(str(exc)) from exc
