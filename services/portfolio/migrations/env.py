from canopy_kit.db.migrations import run_env
from portfolio.tables import metadata

run_env(metadata)
