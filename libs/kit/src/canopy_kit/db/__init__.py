"""Database: engines, the unit of work, the kit's own tables and Alembic wiring."""
from canopy_kit.db.engine import create_engine_for
from canopy_kit.db.tables import add_kit_tables
from canopy_kit.db.uow import UnitOfWork, UnitOfWorkFactory

__all__ = ["UnitOfWork", "UnitOfWorkFactory", "add_kit_tables", "create_engine_for"]
