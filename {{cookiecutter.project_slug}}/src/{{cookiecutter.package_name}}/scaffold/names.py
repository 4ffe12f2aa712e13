"""What a new task or feature may be called, with the rule a refused name broke."""

from __future__ import annotations

import keyword
import re

IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MAX_LENGTH = 40


class NameRefusedError(ValueError):
    """A name that cannot become a module, a route and a file name; the message says why."""


def check_name(kind: str, name: str, taken: set[str]) -> str:
    """`name` when it is usable for a new `kind`, else NameRefusedError naming the rule."""
    if not IDENTIFIER.match(name):
        msg = (
            f"{kind} name {name!r} refused: use lowercase letters and digits in words joined by "
            f"single underscores, starting with a letter (e.g. summarize_call); it becomes a "
            f"Python module, a URL and file names"
        )
        raise NameRefusedError(msg)
    if len(name) > MAX_LENGTH:
        msg = f"{kind} name {name!r} refused: at most {MAX_LENGTH} characters"
        raise NameRefusedError(msg)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        msg = f"{kind} name {name!r} refused: it is a Python keyword"
        raise NameRefusedError(msg)
    if name in taken:
        msg = f"{kind} name {name!r} refused: it already exists; pick another name"
        raise NameRefusedError(msg)
    return name


def camel_case(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def singular(name: str) -> str:
    """`widgets` -> `widget`, for the name of one row; a guess, rename freely."""
    if name.endswith("s") and not name.endswith(("ss", "us", "is")) and len(name) > 3:
        return name[:-1]
    return name
