from canopy_kit.db.migrations import run_env
from canopy_web.tables import metadata

run_env(metadata)
