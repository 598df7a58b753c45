from canopy_kit.db.migrations import run_env
from identity.db import metadata

run_env(metadata)
