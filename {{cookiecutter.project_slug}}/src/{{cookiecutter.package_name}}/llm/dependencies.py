"""`Gateway`: the model gateway as a FastAPI dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .gateway import ModelGateway


# `async def`, though it awaits nothing: FastAPI runs a plain `def` dependency in a worker
# thread, a thread hand-off on every request (measured by scripts/bench_task_cpu.py).
async def get_gateway(request: Request) -> ModelGateway:
    gateway: ModelGateway = request.state.resources.gateway
    return gateway


Gateway = Annotated[ModelGateway, Depends(get_gateway)]
