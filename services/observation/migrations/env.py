from canopy_kit.db.migrations import run_env
from observation.db import metadata

run_env(metadata)
