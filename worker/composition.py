"""The one composition root: builds the real adapters from settings and hands them to use cases."""

from __future__ import annotations

import atexit
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from letter_templates.pdf import Converter, PdfConverter
from letter_templates.warm_pdf import UnoserverConverter
from mailer.mailbox import Mailbox
from mailer.sender import Sender, SmtpSender
from mailer.sent_copies import SentCopies, sent_copies_for
from mailer.smtp_pool import PooledSmtpSender
from mailer.urls import mailbox_from_url, sender_from_url
from worker.adapters.letters import LetterSettings
from worker.adapters.send_rate import SendRate
from worker.clock import utcnow
from worker.config import ConfigurationError, Settings, load_settings
from worker.db.session import make_engine, make_session_factory


@dataclass
class Container:
    """Everything a process needs, built once at start-up."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    sender: Sender
    redis: Redis | None = None
    # The one clock of the process; tests replace it to move time instead of sleeping.
    clock: Callable[[], datetime] = utcnow
    _mailbox_url: str = field(default="", repr=False)
    _pdf: Converter | None = field(default=None, repr=False)
    _send_rate: SendRate | None = field(default=None, repr=False)

    def open_mailbox(self) -> Mailbox:
        """A fresh mailbox connection (each watcher needs its own IMAP session)."""
        return mailbox_from_url(self._mailbox_url)

    def sent_copies(self) -> SentCopies:
        """The Sent folder of the service mailbox, searched with the folders mail passes through."""
        s = self.settings
        return sent_copies_for(mailbox_from_url(self._mailbox_url), s.sent_folder,
                               ["INBOX", s.processed_folder, s.quarantine_folder])

    def pdf_converter(self) -> Converter | None:
        """LibreOffice when letters should be PDFs and it is installed; None means attach the DOCX."""
        if self._pdf is None and self.settings.letter_format != "docx":
            converter = PdfConverter(Path(self.settings.data_dir) / "lo-profile")
            if converter.available():
                self._pdf = converter
                if self.settings.warm_pdf and self.settings.unoserver_command.exists():
                    # One warm LibreOffice per process, with a profile of its own: two soffice on one profile
                    # clash (the second hands its work to the first, or refuses to start).
                    work_dir = Path(self.settings.data_dir) / "unoserver" / f"process-{os.getpid()}"
                    shutil.rmtree(work_dir, ignore_errors=True)  # left by a dead process with this pid
                    warm = UnoserverConverter(work_dir, unoserver=self.settings.unoserver_command.resolve(),
                                              fallback=converter)
                    atexit.register(_close_warm, warm, work_dir)  # stop the LibreOffice this process started
                    self._pdf = warm
            elif self.settings.letter_format == "pdf":
                raise ConfigurationError("DUNNING_LETTER_FORMAT=pdf but LibreOffice (soffice) is not installed")
        return self._pdf

    def send_rate(self) -> SendRate | None:
        """The send rates all workers share (in Redis); None without Redis or with both limits off."""
        s = self.settings
        if self.redis is None or not (s.send_rate_per_business or s.send_rate_per_domain):
            return None
        if self._send_rate is None:
            self._send_rate = SendRate(self.redis, s.send_rate_per_business, s.send_rate_per_domain)
        return self._send_rate

    def letter_settings(self) -> LetterSettings:
        pdf = self.pdf_converter()
        return LetterSettings(self.settings.service_address, self.settings.message_id_domain, pdf,
                              pdf_missing=pdf is None and self.settings.letter_format == "auto",
                              sent_copy_address=self.settings.effective_sent_copy_address)

    def close(self) -> None:
        """Stop what this process started (the warm LibreOffice) and close its connections; idempotent."""
        pdf, self._pdf = self._pdf, None
        close_pdf = getattr(pdf, "close", None)
        if close_pdf is not None:
            close_pdf()
        close_sender = getattr(self.sender, "close", None)
        if close_sender is not None:  # QUIT the SMTP connections kept open
            close_sender()
        if self.redis is not None:
            self.redis.close()
        self.engine.dispose()

    def require_redis(self) -> Redis:
        if self.redis is None:
            raise RuntimeError("no Redis configured for this process; set DUNNING_REDIS_URL")
        return self.redis


def build_container(settings: Settings) -> Container:
    """Wire real adapters; local folders for the embedded defaults are created here, not at import."""
    if settings.mailbox_url is None:  # the embedded drop folder is a Maildir: new/ is where mail is dropped
        for sub in ("new", "cur", "tmp"):
            (Path(settings.data_dir) / "inbox" / sub).mkdir(parents=True, exist_ok=True)
    if settings.smtp_url is None:
        (Path(settings.data_dir) / "outbox").mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    return Container(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        # Bounces go to the envelope sender: our mailbox, where they are read and matched, not the business.
        sender=_pooled(sender_from_url(settings.effective_smtp_url, envelope_from=settings.service_address,
                                       copy_to=settings.effective_sent_copy_address), settings.smtp_connections),
        redis=Redis.from_url(settings.redis_url) if settings.redis_url else None,
        _mailbox_url=settings.effective_mailbox_url,
    )


def _close_warm(warm: UnoserverConverter, work_dir: Path) -> None:
    warm.close()
    shutil.rmtree(work_dir, ignore_errors=True)


def _pooled(sender: Sender, connections: int) -> Sender:
    """SMTP connections kept open and reused by this process (a file sender has nothing to keep open)."""
    if isinstance(sender, SmtpSender) and connections > 0:
        return PooledSmtpSender(sender, max_connections=connections)
    return sender


_current: Container | None = None


def install(container: Container) -> None:
    """Make `container` the one rq jobs in this process use."""
    global _current
    _current = container


def current() -> Container:
    """The container of this process, built from the environment the first time a job needs it."""
    global _current
    if _current is None:
        _current = build_container(load_settings())
    return _current
