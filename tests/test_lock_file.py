"""The lock files are current (docs/adr/0016-locked-dependencies.md).

``requirements.lock`` pins, with hashes, exactly the third-party packages that our packages need
(the kit's test extra included) and the tools of the install; ``requirements-runtime.lock``, what
the images install, is the same versions without the test tools; and this environment holds what
the lock says. A dependency added to or raised in a ``pyproject.toml`` without ``make lock`` fails
here, offline. What a package needs is read from its installed metadata, so the walk follows the
versions the lock pinned.
"""
from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement  # pytest's own dependency
from packaging.utils import canonicalize_name
from packaging.version import Version

REPOSITORY = Path(__file__).resolve().parents[1]
LOCK, RUNTIME_LOCK = REPOSITORY / "requirements.lock", REPOSITORY / "requirements-runtime.lock"
TOOLS = {"pip", "setuptools", "uv"}  # the install's own tools (the Makefile's LOCK_TOOLS)
RUNTIME_TOOLS = {"pip", "setuptools"}
TEST_EXTRA = "test"


def _pins(path: Path) -> dict[str, tuple[Version, Requirement]]:
    """name -> (version, requirement) for every pin; hash lines and comments skipped."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip().removesuffix("\\").strip()
        if not line or line.startswith(("#", "--")):
            continue
        requirement = Requirement(line)
        [specifier] = requirement.specifier
        assert specifier.operator == "==", f"{path.name}: {line} is not an exact pin"
        pins[canonicalize_name(requirement.name)] = (Version(specifier.version), requirement)
    return pins


def _here(pins: dict[str, tuple[Version, Requirement]]) -> dict[str, Version]:
    """The pins that apply to this interpreter and platform (markers evaluated)."""
    return {name: version for name, (version, requirement) in pins.items()
            if requirement.marker is None or requirement.marker.evaluate()}


def _projects(root: Path = REPOSITORY) -> dict[str, dict]:
    projects = {}
    for path in sorted([*root.glob("libs/*/pyproject.toml"), *root.glob("services/*/pyproject.toml"),
                        *root.glob("clients/*/pyproject.toml")]):
        project = tomllib.loads(path.read_text())["project"]
        projects[canonicalize_name(project["name"])] = project
    return projects


def _declared(project: dict, extras: set[str]) -> list[Requirement]:
    declared = list(project.get("dependencies", []))
    for extra in extras:
        declared += project.get("optional-dependencies", {}).get(extra, [])
    return [Requirement(text) for text in declared]


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    return requirement.marker is None or any(requirement.marker.evaluate({"extra": extra})
                                             for extra in {"", *extras})


def _needed(with_tests: bool) -> set[str]:
    """Every third-party distribution our packages need here, following installed metadata."""
    projects = _projects()
    todo = [(name, {TEST_EXTRA} if with_tests else set()) for name in projects]
    seen: set[tuple[str, frozenset[str]]] = set()
    needed: set[str] = set()
    while todo:
        name, extras = todo.pop()
        if (name, frozenset(extras)) in seen:
            continue
        seen.add((name, frozenset(extras)))
        if name in projects:
            requirements = _declared(projects[name], extras)
        else:
            needed.add(name)
            requirements = [Requirement(text) for text in metadata.requires(name) or []]
        for requirement in requirements:
            if _applies(requirement, extras):
                todo.append((canonicalize_name(requirement.name), set(requirement.extras)))
    return needed


@pytest.fixture(scope="module")
def lock():
    return _pins(LOCK)


@pytest.fixture(scope="module")
def runtime_lock():
    return _pins(RUNTIME_LOCK)


def _undeclared(root: Path) -> list[str]:
    """What the pyproject.toml files under ``root`` declare and its locks do not satisfy."""
    projects, problems = _projects(root), []
    for name, project in projects.items():
        for lock_file, extras in ((root / LOCK.name, {TEST_EXTRA}), (root / RUNTIME_LOCK.name, set())):
            pins = _pins(lock_file)
            for requirement in _declared(project, extras):
                dependency = canonicalize_name(requirement.name)
                if dependency in projects:
                    continue  # ours, installed from its folder
                if dependency not in pins:
                    problems.append(f"{name} needs {requirement}, which {lock_file.name} lacks")
                elif not requirement.specifier.contains(pins[dependency][0], prereleases=True):
                    problems.append(f"{name} needs {requirement} but {lock_file.name} pins {pins[dependency][0]}")
    return problems


def test_every_declared_dependency_is_pinned_at_a_version_it_allows():
    assert _undeclared(REPOSITORY) == [], "run make lock"


@pytest.mark.parametrize("change, found", [
    (("    \"gunicorn>=22\",", "    \"gunicorn>=22\",\n    \"tomli-w>=1\","), "needs tomli-w>=1, which"),
    (("\"gunicorn>=22\"", "\"gunicorn>=99\""), "needs gunicorn>=99 but"),
])
def test_a_dependency_changed_without_make_lock_is_caught(tmp_path, change, found):
    for path in [LOCK, RUNTIME_LOCK, *REPOSITORY.glob("libs/*/pyproject.toml"),
                 *REPOSITORY.glob("services/*/pyproject.toml"), *REPOSITORY.glob("clients/*/pyproject.toml")]:
        copy = tmp_path / path.relative_to(REPOSITORY)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text())
    kit = tmp_path / "libs" / "kit" / "pyproject.toml"
    assert change[0] in kit.read_text()
    kit.write_text(kit.read_text().replace(*change))
    problems = _undeclared(tmp_path)
    assert problems and all(found in problem for problem in problems), problems


def test_this_environment_holds_the_locked_versions(lock):
    installed = {name: Version(metadata.version(name)) for name in _here(lock)}
    assert installed == _here(lock), "the environment differs from requirements.lock: make install"


def test_the_lock_holds_exactly_what_the_packages_and_the_install_need(lock):
    needed, locked = _needed(with_tests=True) | TOOLS, set(_here(lock))
    assert not needed - locked, f"needed but not locked (run make lock): {sorted(needed - locked)}"
    assert not locked - needed, f"locked but needed by nothing (run make lock): {sorted(locked - needed)}"


def test_the_runtime_lock_is_the_same_versions_without_the_test_tools(lock, runtime_lock):
    for name, (version, _) in runtime_lock.items():
        assert name in lock and lock[name][0] == version, f"{name}=={version} is not what requirements.lock pins"
    needed, locked = _needed(with_tests=False) | RUNTIME_TOOLS, set(_here(runtime_lock))
    assert locked == needed, (f"missing: {sorted(needed - locked)}; not needed at run time: "
                              f"{sorted(locked - needed)}")


def test_every_pin_has_a_hash():
    for path in (LOCK, RUNTIME_LOCK):
        entries = re.split(r"\n(?=\S)", path.read_text())  # each pin with its indented lines
        pins = [entry for entry in entries if not entry.startswith("#")]
        assert pins and all("--hash=sha256:" in entry for entry in pins), path.name
