"""What a service process does first: read its settings from the environment, configure its
logging from them, and build its ``Runtime``. Every entry point that starts one (the ``canopy``
command line, ``canopy up``) starts it this way."""
from __future__ import annotations

from canopy_kit.logs import configure_logging
from canopy_kit.service import Runtime, ServiceSpec


def service_runtime(name: str, spec: ServiceSpec) -> Runtime:
    """The runtime of service ``name`` in this process, with its logging configured."""
    settings = spec.settings_class.from_env(name)  # the service's own class: its settings typed too
    configure_logging(name, level=settings.log_level, as_json=settings.log_json)
    return Runtime(spec, settings)
