from canopy_kit.db.migrations import run_env
from reporting.tables import metadata

run_env(metadata)
