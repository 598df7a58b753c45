"""New ids: random UUIDs as text, the same on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
