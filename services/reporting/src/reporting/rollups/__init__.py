"""The rollups the dashboards read, and the engine that keeps them."""
from reporting.domain.scope import ALL_SCHOOLS, NO_SCHOOL
from reporting.rollups.definitions import ALL, BY_FACTS
from reporting.rollups.engine import Changes, Rollup, apply, rebuild

__all__ = ["ALL", "ALL_SCHOOLS", "BY_FACTS", "NO_SCHOOL", "Changes", "Rollup", "apply", "rebuild"]
