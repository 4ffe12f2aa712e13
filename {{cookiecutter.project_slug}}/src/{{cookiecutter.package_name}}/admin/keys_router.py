"""`/v1/admin/keys`: manage API keys (role admin). Each change is audited in its transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request

from ..auth.dependencies import get_authenticator, require
from ..auth.keys import KeyNotFoundError, KeySpec, create_key, list_keys, revoke_key, rotate_key
from ..auth.principal import Principal
from ..auth.roles import Permission
from ..core.openapi import PROTECTED, WITH_BODY, problem_responses
from ..dependencies import Audit, Resources
from ..tasks.registry import task_registry
from .schemas import CreatedKey, KeyInfo, KeyRequest

router = APIRouter(prefix="/v1/admin/keys", tags=["admin"])
Admin = Annotated[Principal, require(Permission.MANAGE_KEYS)]


# Not POST /v1/admin/keys: Starlette answers a wrong method on a path with two routes with
# only the first route's `Allow`, so each path here has one method.
@router.post("/new", status_code=201, responses=problem_responses(*WITH_BODY, *PROTECTED))
async def create(body: KeyRequest, admin: Admin, audit: Audit, resources: Resources) -> CreatedKey:
    unknown = sorted(set(body.tasks or ()) - {task.name for task in task_registry()})
    if unknown:
        raise HTTPException(422, f"No task named {', '.join(unknown)}; GET /v1/tasks lists them.")
    spec = KeySpec(
        name=body.name,
        role=body.role,
        tasks=tuple(body.tasks) if body.tasks is not None else None,
        requests_per_minute=body.requests_per_minute,
        tokens_per_minute=body.tokens_per_minute,
        concurrent_requests=body.concurrent_requests,
        daily_budget_usd=body.daily_budget_usd,
        expires_in=timedelta(days=body.expires_in_days) if body.expires_in_days else None,
    )
    prefix = resources.settings.api_key_prefix
    async with audit.transaction() as writer:
        key, row = await create_key(writer.session, spec, prefix=prefix, created_by=admin.actor)
        writer.append(
            actor=admin.actor,
            action="key.created",
            target=row.key_id,
            details={"role": row.role, "tasks": row.tasks, "name": row.name},
        )
        info = KeyInfo.of(row)
    return CreatedKey(key=key, info=info)


@router.get("", responses=problem_responses(422, *PROTECTED))
async def list_all(
    _admin: Admin, resources: Resources, include_revoked: bool = False
) -> list[KeyInfo]:
    async with resources.sessionmaker() as session:
        rows = await list_keys(session, include_revoked=include_revoked)
    return [KeyInfo.of(row) for row in rows]


@router.post("/{key_id}/revoke", responses=problem_responses(404, 422, *PROTECTED))
async def revoke(key_id: str, admin: Admin, audit: Audit, request: Request) -> KeyInfo:
    try:
        async with audit.transaction() as writer:
            row = await revoke_key(writer.session, key_id)
            writer.append(actor=admin.actor, action="key.revoked", target=key_id)
            info = KeyInfo.of(row)
    except KeyNotFoundError as error:
        raise HTTPException(404, str(error)) from None
    get_authenticator(request).keys.forget(key_id)
    return info


@router.post("/{key_id}/rotate", status_code=201, responses=problem_responses(404, 422, *PROTECTED))
async def rotate(
    key_id: str, admin: Admin, audit: Audit, resources: Resources, request: Request
) -> CreatedKey:
    prefix = resources.settings.api_key_prefix
    try:
        async with audit.transaction() as writer:
            key, row = await rotate_key(
                writer.session, key_id, prefix=prefix, created_by=admin.actor
            )
            writer.append(
                actor=admin.actor,
                action="key.rotated",
                target=key_id,
                details={"replaced_by": row.key_id},
            )
            info = KeyInfo.of(row)
    except KeyNotFoundError as error:
        raise HTTPException(404, str(error)) from None
    get_authenticator(request).keys.forget(key_id)
    return CreatedKey(key=key, info=info)
