from canopy_kit.db.migrations import run_env
from observation.tables import metadata

run_env(metadata)
