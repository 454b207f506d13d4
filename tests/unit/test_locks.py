"""The two lock files agree: the image's runtime lock holds no test tool and pins what the dev lock pins."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)")


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        match = PIN.match(line)
        if match:
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _declared(group: str | None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return {canonicalize_name(Requirement(entry).name) for entry in requirements}


def test_runtime_pins_are_the_dev_locks_pins() -> None:
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert runtime, "requirements.lock pins nothing"
    assert {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version} == {}


def test_runtime_lock_pins_every_dependency_and_no_dev_tool() -> None:
    runtime = _pins("requirements.lock")
    assert _declared(None) - runtime.keys() == set()
    assert _declared("dev") & runtime.keys() == set()


def test_dev_lock_pins_the_dev_tools() -> None:
    assert _declared("dev") - _pins("requirements-dev.lock").keys() == set()
