"""`dunning key ...`: list, create, revoke and rotate a business's API keys (the key is shown once only)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from worker.clock import utcnow
from worker.config import Settings

if TYPE_CHECKING:  # the database modules load only when a key command runs, not for every `dunning` call
    from sqlalchemy.orm import Session

    from worker.db.models import ApiKey, Business

SHOWN_ONCE = "API key (shown once, keep it safe): {}"


def _business(session: Session, name_or_id: str) -> Business | None:
    from worker.usecases.businesses import find_business

    business = find_business(session, name_or_id)
    if business is None:
        print(f"no business with id or name {name_or_id!r}", file=sys.stderr)
    return business


def _when(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def _name(row: ApiKey) -> str:
    # A key carried over from before prefixes existed shows its prefix only after it has been used once.
    return row.prefix or "(initial key, prefix shown after its first use)"


def _sessions(settings: Settings):  # type: ignore[no-untyped-def]
    from worker.cli import _container

    return _container(settings).sessions


def cmd_key_list(args: argparse.Namespace, settings: Settings) -> int:
    from worker.usecases.api_keys import list_keys

    with _sessions(settings).begin() as session:
        if (business := _business(session, args.business)) is None:
            return 1
        rows = list_keys(session, business.id)
        print(f"API keys of business {business.id} ({business.name}):")
        print(f"{'PREFIX':<10} {'LABEL':<16} {'CREATED':<21} {'LAST USED':<21} REVOKED")
        for row in rows:
            print(f"{_name(row):<10} {row.label:<16} {_when(row.created_at):<21} {_when(row.last_used_at):<21} "
                  f"{_when(row.revoked_at)}")
    return 0


def cmd_key_create(args: argparse.Namespace, settings: Settings) -> int:
    from worker.usecases.api_keys import issue_key

    with _sessions(settings).begin() as session:
        if (business := _business(session, args.business)) is None:
            return 1
        row, api_key = issue_key(session, business.id, label=args.label, now=utcnow())
        print(f"key {row.prefix} ({row.label}) created for business {business.id} ({business.name})")
    print(SHOWN_ONCE.format(api_key))
    return 0


def cmd_key_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from worker.usecases.api_keys import ApiKeyNotFound, revoke_key

    now = utcnow()
    with _sessions(settings).begin() as session:
        try:
            row, newly = revoke_key(session, args.prefix, now)
        except ApiKeyNotFound as exc:
            print(exc, file=sys.stderr)
            return 1
        done = "revoked" if newly else f"was already revoked on {_when(row.revoked_at)}"
        print(f"key {row.prefix} ({row.label}) of business {row.business_id} {done}; it answers 401 now")
    return 0


def cmd_key_rotate(args: argparse.Namespace, settings: Settings) -> int:
    from worker.usecases.api_keys import rotate_keys

    with _sessions(settings).begin() as session:
        if (business := _business(session, args.business)) is None:
            return 1
        row, api_key, revoked = rotate_keys(session, business.id, label=args.label, now=utcnow())
        print(f"key {row.prefix} ({row.label}) created for business {business.id} ({business.name})")
        old = ", ".join(_name(r) for r in revoked) or "none (there was no valid key)"
        print(f"revoked the old key(s): {old}; clients still using them get 401 from now on")
    print(SHOWN_ONCE.format(api_key))
    return 0


def add_key_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("key", help="list, create, revoke and rotate a business's API keys").add_subparsers(
        dest="key_command", required=True)
    listing = keys.add_parser("list", help="a business's keys by prefix (never the key itself)")
    listing.add_argument("--business", required=True, help="business id or name")
    listing.set_defaults(func=cmd_key_list)
    create = keys.add_parser("create", help="add a key and print it once")
    create.add_argument("--business", required=True, help="business id or name")
    create.add_argument("--label", default="api", help="what the key is for, shown in `key list`")
    create.set_defaults(func=cmd_key_create)
    revoke = keys.add_parser("revoke", help="revoke the key with this prefix (see `key list`)")
    revoke.add_argument("prefix")
    revoke.set_defaults(func=cmd_key_revoke)
    rotate = keys.add_parser("rotate", help="add a key, print it once, and revoke the business's other keys")
    rotate.add_argument("--business", required=True, help="business id or name")
    rotate.add_argument("--label", default="rotated", help="what the new key is for, shown in `key list`")
    rotate.set_defaults(func=cmd_key_rotate)
