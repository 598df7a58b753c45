from canopy_kit.db.migrations import run_kit_env

run_kit_env()
