"""`Gateway`: the model gateway as a FastAPI dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .gateway import ModelGateway


def get_gateway(request: Request) -> ModelGateway:
    gateway: ModelGateway = request.state.resources.gateway
    return gateway


Gateway = Annotated[ModelGateway, Depends(get_gateway)]
