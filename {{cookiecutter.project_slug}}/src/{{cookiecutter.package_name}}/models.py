"""Every table module, imported here so Alembic's autogenerate sees all of them.

Adding a table: define the model in its feature package, import the module below, then run
`make migration m="add my table"` and review the generated file.
"""

from .audit import models as audit_models
from .auth import models as auth_models
from .core.database import Base
from .evals import store as eval_store
from .llm import inference_records

__all__ = ["Base", "audit_models", "auth_models", "eval_store", "inference_records"]
