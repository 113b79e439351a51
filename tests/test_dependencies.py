"""The lock files that `make run` and `make test` install from agree with pyproject.toml."""

import re
import tomllib

from .processes import ROOT


def pinned(requirements):
    """{normalized name: version} of ``name==version`` lines (extras and markers dropped)."""
    pins = {}
    for line in requirements:
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def test_every_pin_of_pyproject_is_locked_at_its_version_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locks = {
        "requirements.lock": project["dependencies"],
        "requirements-test.lock": project["dependencies"]
        + project["optional-dependencies"]["test"],
    }
    for lock_name, wanted in locks.items():
        text = (ROOT / lock_name).read_text()
        locked = pinned(text.splitlines())
        missing = {
            name: version for name, version in pinned(wanted).items() if locked.get(name) != version
        }
        assert not missing, f"{lock_name} is stale: run `make lock` ({missing})"
        hashed = re.findall(r"^\S+==[^\n]* \\\n\s+--hash=sha256:", text, flags=re.MULTILINE)
        assert len(hashed) == len(locked), f"{lock_name}: every package needs its hashes"


def test_the_test_lock_keeps_every_version_of_the_run_lock():
    run = pinned((ROOT / "requirements.lock").read_text().splitlines())
    test = pinned((ROOT / "requirements-test.lock").read_text().splitlines())
    assert {name: test.get(name) for name in run} == run
