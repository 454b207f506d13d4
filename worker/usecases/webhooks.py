"""A business's webhook endpoints: add one (its secret shown once), list them, delete one; where they may point."""

import ipaddress
import secrets
import socket
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.db.webhook_models import Webhook

EVENTS = ("invoice.status_changed", "reply.received", "payment.recorded", "review.created")
MAX_ENDPOINTS = 20


class WebhookRefused(ValueError):
    """An endpoint that cannot be added; `field` is the input at fault."""

    def __init__(self, message: str, field: str = "url") -> None:
        super().__init__(message)
        self.field = field


Resolver = Callable[[str, int], Sequence[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to now."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def check_target(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> None:
    """Only http(s) to a public address: else a business could make the service call into its own network
    (a database admin page, a cloud metadata service). Checked when added and again before each delivery."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise WebhookRefused("the URL must not contain spaces or control characters; encode them (%20)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused("the URL must start with https:// (or http://) and name a host")
    if parts.username or parts.password:
        raise WebhookRefused("the URL must not carry a user name or password; the signature proves the sender")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise WebhookRefused(f"the URL's port is not a number from 1 to 65535 ({exc})") from exc
    if allow_private:
        return
    try:
        addresses = [parts.hostname] if _is_address(parts.hostname) else list(resolver(parts.hostname, port))
    except (OSError, UnicodeError) as exc:
        raise WebhookRefused(f"the host {parts.hostname} cannot be found ({exc})") from exc
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise WebhookRefused(f"the URL points at {address}, a loopback, private or reserved address; "
                                 "webhooks go to public addresses only")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def add_webhook(session: Session, business_id: int, *, url: str, events: Sequence[str], description: str | None,
                who: str, now: datetime, allow_private: bool, resolver: Resolver = resolve) -> Webhook:
    """A new endpoint with a fresh secret (the caller shows it once)."""
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise WebhookRefused(f"unknown event {', '.join(unknown)}; choose from {', '.join(EVENTS)}" if unknown
                             else f"choose at least one event of {', '.join(EVENTS)}", "events")
    check_target(url, allow_private=allow_private, resolver=resolver)
    if len(active_webhooks(session, business_id)) >= MAX_ENDPOINTS:
        raise WebhookRefused(f"a business has at most {MAX_ENDPOINTS} webhooks; delete one first", "url")
    hook = Webhook(business_id=business_id, url=url, events=sorted(set(events)), description=description,
                   secret="whsec_" + secrets.token_urlsafe(32), created_by=who, created_at=now)
    session.add(hook)
    session.flush()
    return hook


def active_webhooks(session: Session, business_id: int) -> list[Webhook]:
    return list(session.scalars(select(Webhook).where(Webhook.business_id == business_id,
                                                      Webhook.deleted_at.is_(None)).order_by(Webhook.id)))


def own_webhook(session: Session, business_id: int, webhook_id: int) -> Webhook | None:
    """The business's endpoint (deleted ones too: their log stays readable), or None for any other id."""
    hook = session.get(Webhook, webhook_id)
    return hook if hook is not None and hook.business_id == business_id else None


def delete_webhook(hook: Webhook, now: datetime) -> None:
    """No new deliveries from now on; pending ones are dropped by the delivery job, the log is kept."""
    hook.deleted_at = hook.deleted_at or now
