"""The lock files pin what pyproject.toml asks for: every dependency, at a version its range
admits, with hashes (pip refuses a lock without them under --require-hashes)."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from fixtures.services import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    found = {}
    for block in re.split(r"\n(?=\S)", (ROOT / lock).read_text()):
        m = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", block)
        if m:
            found[canonicalize_name(m.group(1))] = (m.group(2), block.count("--hash=sha256:"))
    return found


@pytest.mark.parametrize(("lock", "groups"), [
    ("requirements.lock", ["dependencies"]),
    ("requirements-dev.lock", ["dependencies", "dev"]),
])
def test_each_lock_pins_every_dependency_in_its_range(lock, groups):
    locked = pins(lock)
    wanted = [Requirement(r) for g in groups
              for r in (PYPROJECT[g] if g == "dependencies"
                        else PYPROJECT["optional-dependencies"][g])]
    wrong = []
    for req in wanted:
        pinned = locked.get(canonicalize_name(req.name))
        if pinned is None:
            wrong.append(f"{req.name}: not in {lock}")
        elif not req.specifier.contains(pinned[0], prereleases=True):
            wrong.append(f"{req.name}: {lock} pins {pinned[0]}, pyproject asks {req.specifier}")
    assert not wrong, "Make the lock again (README, production checklist):\n" + "\n".join(wrong)
    assert all(hashes for _version, hashes in locked.values())
