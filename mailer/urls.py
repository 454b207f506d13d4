"""Build mailboxes and senders from URLs (`imap://`, `imaps://`, `maildir:///`, `smtp://`, `file:///` ...)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from mailer.imap_mailbox import ImapMailbox
from mailer.maildir_mailbox import MaildirMailbox
from mailer.sender import FileSender, SmtpSender

__all__ = ["mailbox_from_url", "sender_from_url", "redact_url"]

_IMAP = {"imap": ("plain", 143), "imaps": ("ssl", 993), "imap+starttls": ("starttls", 143)}
_SMTP = {"smtp": ("plain", 25), "smtps": ("ssl", 465), "smtp+starttls": ("starttls", 587)}


def redact_url(url: str) -> str:
    """The URL with its password replaced by `***`, for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{netloc[1]}").geturl()


def _options(query: str, url: str, allowed: set[str]) -> dict[str, float]:
    options: dict[str, float] = {}
    for key, values in parse_qs(query, keep_blank_values=True).items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise ValueError(f"unknown option {key!r} in {redact_url(url)} (known: {known})")
        try:
            options[key] = float(values[-1])
        except ValueError:
            raise ValueError(f"option {key!r} in {redact_url(url)} must be a number") from None
    return options


def _local_path(url: str, scheme: str) -> str:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
        raise ValueError(f"{scheme} URL needs an absolute path, like {scheme}:///var/lib/dunning/x: {url}")
    return unquote(parts.path)


def mailbox_from_url(url: str) -> ImapMailbox | MaildirMailbox:
    """`imap://user:pass@host:port/INBOX`, `imaps://...`, `imap+starttls://...` or `maildir:///abs/path`.

    Query options: `timeout`, `poll_interval` (seconds).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "maildir":
        return MaildirMailbox(_local_path(url, "maildir"))
    if scheme not in _IMAP:
        raise ValueError(f"unsupported mailbox URL scheme {scheme!r} (imap, imaps, imap+starttls, maildir)")
    security, default_port = _IMAP[scheme]
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"bad port in {redact_url(url)}") from None
    if not parts.hostname:
        raise ValueError(f"mailbox URL has no host: {redact_url(url)}")
    if not parts.username or parts.password is None:
        raise ValueError(f"mailbox URL needs user:password@ (imap://user:pass@host/INBOX): {redact_url(url)}")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    options = _options(parts.query, url, {"timeout", "poll_interval"})
    return ImapMailbox(
        parts.hostname,
        port or default_port,
        unquote(parts.username),
        unquote(parts.password),
        folder=folder,
        security=security,  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )


def sender_from_url(url: str, *, envelope_from: str | None = None,
                    copy_to: str | None = None) -> SmtpSender | FileSender:
    """`smtp://user:pass@host:port`, `smtps://...`, `smtp+starttls://...` or `file:///abs/path`.

    User and password are optional for SMTP. Query option: `timeout` (seconds).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "file":
        return FileSender(_local_path(url, "file"))
    if scheme not in _SMTP:
        raise ValueError(f"unsupported sender URL scheme {scheme!r} (use smtp, smtps, smtp+starttls, file)")
    security, default_port = _SMTP[scheme]
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"bad port in {redact_url(url)}") from None
    if not parts.hostname:
        raise ValueError(f"sender URL has no host: {redact_url(url)}")
    if parts.path not in ("", "/"):
        raise ValueError(f"sender URL takes no path: {redact_url(url)}")
    options = _options(parts.query, url, {"timeout"})
    return SmtpSender(
        parts.hostname,
        port or default_port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        security=security,  # type: ignore[arg-type]
        envelope_from=envelope_from,
        copy_to=copy_to,
        **options,  # type: ignore[arg-type]
    )
