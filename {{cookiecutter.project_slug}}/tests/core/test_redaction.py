"""The log redactor is total over values: a secret planted anywhere, in any type, at any depth,
is found in no rendered line, JSON or console."""

from __future__ import annotations

from typing import Any

import pytest
import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from {{ cookiecutter.package_name }}.core.logging import configure_logging
from {{ cookiecutter.package_name }}.core.settings import AppEnv, LogFormat

from ..factories import LogOutput, make_settings

SECRET = "Zx9-planted-secret-Qw7-0123456789abcdef"  # Configured: known by value, not by shape.


class Payload(BaseModel):
    note: str
    extra: Any = None


class Opaque:
    """A type the redactor knows nothing about; its text holds the secret."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return f"Opaque({self.text})"

    __repr__ = __str__


def wrap(value: Any, how: str) -> Any:
    wrappers: dict[str, Any] = {
        "list-first": lambda v: [v, "x"],
        "list-second": lambda v: ["x", v],
        "tuple-first": lambda v: (v, 1),
        "pair-bytes": lambda v: (b"name", v),
        "set": lambda v: {v} if isinstance(v, str | bytes | int) else [v],
        "frozenset": lambda v: frozenset({v}) if isinstance(v, str | bytes) else (v,),
        "dict-value": lambda v: {"field": v},
        "dict-key": lambda v: {v: 1} if isinstance(v, str | bytes) else {"k": v},
        "exception": lambda v: ValueError(v),
        "pydantic": lambda v: Payload(note="n", extra=v),
        "opaque": lambda v: Opaque(str(v)),
        "bytes": lambda v: v.encode() if isinstance(v, str) else v,
    }
    return wrappers[how](value)


WRAPPERS = [
    "list-first",
    "list-second",
    "tuple-first",
    "pair-bytes",
    "set",
    "frozenset",
    "dict-value",
    "dict-key",
    "exception",
    "pydantic",
    "opaque",
    "bytes",
]
planted = st.sampled_from([SECRET, f"prefix {SECRET} suffix", f"{SECRET}\n"])
nested = st.recursive(
    planted,
    lambda inner: st.tuples(inner, st.sampled_from(WRAPPERS)).map(lambda pair: wrap(*pair)),
    max_leaves=6,
)
field_names = st.sampled_from(["data", "detail", "items", "ctx", "value", "x"])


def render(fmt: LogFormat, **fields: Any) -> str:
    output = LogOutput()
    env = AppEnv.DEVELOPMENT if fmt is LogFormat.CONSOLE else AppEnv.TEST
    configure_logging(make_settings(env=env, log_format=fmt, openai_api_key=SECRET), output.stream)
    structlog.get_logger("test").info("planted", **fields)
    return output.text()


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=nested, name=field_names, fmt=st.sampled_from(list(LogFormat)))
def test_a_planted_secret_in_any_nested_value_is_never_rendered(
    value: Any, name: str, fmt: LogFormat
) -> None:
    text = render(fmt, **{name: value})

    assert "planted" in text
    assert SECRET not in text


@pytest.mark.parametrize("how", WRAPPERS)
@pytest.mark.parametrize("fmt", list(LogFormat))
def test_each_value_type_is_redacted(how: str, fmt: LogFormat) -> None:
    assert SECRET not in render(fmt, data=wrap(SECRET, how))


@pytest.mark.parametrize(
    "name",
    ["private_key", "credentials", "auth", "x-auth", "client_secret", "jwt", "aws_credential"],
)
def test_sensitive_field_names_are_redacted(name: str) -> None:
    text = render(LogFormat.JSON, **{name: "value-not-otherwise-secret-123"})

    assert "value-not-otherwise-secret-123" not in text


def test_usage_counts_and_authors_stay_visible() -> None:
    text = render(LogFormat.JSON, prompt_tokens=12, author="ann", max_tokens=64)

    assert '"prompt_tokens":12' in text
    assert '"author":"ann"' in text
    assert '"max_tokens":64' in text


def test_a_secret_as_a_top_level_key_is_redacted() -> None:
    assert SECRET not in render(LogFormat.JSON, **{SECRET: 1})


def test_a_broken_str_does_not_break_logging() -> None:
    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("no")

        __repr__ = __str__

    text = render(LogFormat.JSON, data=Broken())

    assert "planted" in text
    assert "unprintable Broken" in text
