"""The two apps `bench.py` compares, each served alone: `python scripts/bench_apps.py full 8001`.

Both serve the same validate-and-echo endpoint with the same server options; only the
middleware, logging and handlers of the full service differ.
"""

from __future__ import annotations

import argparse
import os

import uvicorn
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

ECHO_PATH = "/bench/echo"


class EchoBody(BaseModel):
    name: str
    count: int
    score: float
    tags: list[str]


router = APIRouter()


@router.post(ECHO_PATH)
async def echo(body: EchoBody) -> EchoBody:
    return body


def full_app() -> FastAPI:
    """The service as deployed (settings from the APP_* variables bench.py sets) plus the echo,
    behind an API key and its rate limit unless BENCH_AUTH=0."""
    # Imported here: bench.py reads this module's constants and must not load the service.
    from {{ cookiecutter.package_name }}.app import create_app
    from {{ cookiecutter.package_name }}.auth import Permission, require

    app = create_app()
    guarded = os.environ.get("BENCH_AUTH", "1") == "1"
    app.include_router(router, dependencies=[require(Permission.LIST_TASKS)] if guarded else [])
    return app


def bare_app() -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    return app


APPS = {"full": full_app, "full-redis": full_app, "bare": bare_app}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("app", choices=sorted(APPS))
    parser.add_argument("port", type=int)
    args = parser.parse_args()
    uvicorn.run(
        APPS[args.app](),
        host="127.0.0.1",
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
