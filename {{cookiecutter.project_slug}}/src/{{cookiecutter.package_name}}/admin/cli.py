"""`keys` and `audit` on the command line: the same services as the admin API, audited alike.

The actor recorded for a command is `cli:<operating system user>`.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import re
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ..audit.retention import prune_trail, verify_trail
from ..audit.trail import AuditTrail
from ..auth.keys import KeyNotFoundError, KeySpec, create_key, list_keys, revoke_key, rotate_key
from ..auth.roles import Role
from ..core.database import create_engine, create_sessionmaker
from ..tasks.registry import task_registry
from .schemas import KeyInfo

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from ..core.settings import Settings

DURATION = re.compile(r"^(\d+)([dhm])$")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def duration(text: str) -> timedelta:
    match = DURATION.match(text)
    if match is None:
        msg = f"{text!r}: use a number and d, h or m, e.g. 90d"
        raise argparse.ArgumentTypeError(msg)
    return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


def add_keys_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a key and print it once")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--tasks", nargs="+", help="only these tasks (default: all)")
    create.add_argument("--rpm", type=int, help="requests per minute")
    create.add_argument("--tpm", type=int, help="tokens per minute")
    create.add_argument("--concurrent", type=int, help="requests in flight")
    create.add_argument("--daily-budget-usd", type=Decimal)
    create.add_argument("--expires-in", type=duration, help="e.g. 90d, 12h")
    listing = actions.add_parser("list", help="list keys (never their values)")
    listing.add_argument("--all", action="store_true", help="include revoked keys")
    for name in ("revoke", "rotate"):
        actions.add_parser(name, help=f"{name} a key by its id").add_argument("key_id")


def add_audit_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("verify", help="check the hash chain; exit 1 naming the first bad row")
    prune = actions.add_parser("prune", help="delete events before a date, keep a checkpoint")
    prune.add_argument("--before", required=True, type=date.fromisoformat, help="YYYY-MM-DD")


def run_with_database(
    settings: Settings, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[int]]
) -> int:
    async def main() -> int:
        engine = create_engine(settings)
        try:
            return await work(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    return asyncio.run(main())


def actor() -> str:
    return f"cli:{getpass.getuser()}"


def show(info: KeyInfo) -> None:
    print(json.dumps(info.model_dump(mode="json"), sort_keys=True))


def keys_command(settings: Settings, args: argparse.Namespace) -> int:
    prefix = settings.api_key_prefix
    unknown = sorted(set(getattr(args, "tasks", None) or ()) - {t.name for t in task_registry()})
    if unknown:
        print(f"keys create --tasks: no task named {', '.join(unknown)}", file=sys.stderr)
        return 2

    async def work(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
        if args.action == "list":
            async with sessionmaker() as session:
                for row in await list_keys(session, include_revoked=args.all):
                    show(KeyInfo.of(row))
            return 0
        trail = AuditTrail(sessionmaker)
        async with trail.transaction() as writer:
            if args.action == "create":
                spec = KeySpec(
                    name=args.name,
                    role=Role(args.role),
                    tasks=tuple(args.tasks) if args.tasks else None,
                    requests_per_minute=args.rpm,
                    tokens_per_minute=args.tpm,
                    concurrent_requests=args.concurrent,
                    daily_budget_usd=args.daily_budget_usd,
                    expires_in=args.expires_in,
                )
                key, row = await create_key(writer.session, spec, prefix=prefix, created_by=actor())
                writer.append(
                    actor=actor(),
                    action="key.created",
                    target=row.key_id,
                    details={"role": row.role, "tasks": row.tasks, "name": row.name},
                )
            elif args.action == "revoke":
                key, row = "", await revoke_key(writer.session, args.key_id)
                writer.append(actor=actor(), action="key.revoked", target=args.key_id)
            else:
                key, row = await rotate_key(
                    writer.session, args.key_id, prefix=prefix, created_by=actor()
                )
                writer.append(
                    actor=actor(),
                    action="key.rotated",
                    target=args.key_id,
                    details={"replaced_by": row.key_id},
                )
            info = KeyInfo.of(row)
        show(info)
        if key:
            print(f"\nThe key, shown this once (store it in a secret manager):\n{key}")
        return 0

    try:
        return run_with_database(settings, work)
    except KeyNotFoundError as error:
        print(error, file=sys.stderr)
        return 1


def audit_command(settings: Settings, args: argparse.Namespace) -> int:
    async def work(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
        if args.action == "prune":
            before = datetime.combine(args.before, time.min, tzinfo=UTC)
            pruned = await prune_trail(AuditTrail(sessionmaker), before, actor())
            print(f"Pruned {pruned} events before {before.isoformat()}; checkpoint written.")
            return 0
        verdict = await verify_trail(sessionmaker)
        if verdict.broken is not None:
            broken = verdict.broken
            print(
                f"Audit trail BROKEN at seq {broken.seq} (event {broken.event_id}): "
                f"{broken.reason}. {verdict.checked} rows before it are intact.",
                file=sys.stderr,
            )
            return 1
        print(f"Audit trail intact: {verdict.checked} events, head hash {verdict.head_hash}.")
        return 0

    return run_with_database(settings, work)
