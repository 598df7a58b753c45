"""Helpers for the production-topology tests: HTTP without a client library, the tools they need
(missing ones skip locally and fail in CI, as PostgreSQL and RabbitMQ do), and waiting with a
deadline."""
from __future__ import annotations

from pathlib import Path

import pytest

from canopy_kit.production.tools import find_tool
from canopy_kit.testing.http import http, wait_for
from canopy_kit.testing.plugin import unavailable

REPOSITORY = Path(__file__).resolve().parents[2]


def required_tool(name: str, install: str) -> str:
    path = find_tool(name)
    if path is None:
        unavailable(name, f"not installed; {install}")
    return path


@pytest.fixture(scope="session")
def nginx_binary() -> str:
    return required_tool("nginx", "apt-get install nginx")


@pytest.fixture(scope="session")
def http_call():
    """``http_call(method, url, body=None, headers=None)`` -> Reply; errors are replies too."""
    return http


@pytest.fixture(scope="session")
def wait():
    """``wait(condition, timeout=..., what=...)``: poll until truthy, fail at the deadline."""
    return wait_for


@pytest.fixture(scope="session")
def prometheus_binary() -> str:
    return required_tool("prometheus", "apt-get install prometheus")
