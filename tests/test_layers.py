"""Apps depend downward only (DESIGN.md): import-linter's layers contract, run by the suite.

``.ci/run`` and ``make lint`` run ``lint-imports`` too; these tests also prove that the contract
catches an upward import and that no app escapes it.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def lint_imports(cwd):
    result = subprocess.run(  # noqa: S603 (our own tool on our own code)
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_the_apps_depend_downward_only():
    returncode, output = lint_imports(ROOT)

    assert returncode == 0, output
    assert "Apps depend downward only KEPT" in output


def test_an_upward_import_breaks_the_contract(tmp_path):
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    # The category page fetching its sessions from coaching's views, as it once did.
    with (tmp_path / "categories" / "views.py").open("a") as views:
        views.write("\nfrom coaching.templatetags.coaching_tags import upcoming_sessions_in\n")

    returncode, output = lint_imports(tmp_path)

    assert returncode == 1, output
    assert "categories is not allowed to import coaching" in output
    assert "categories.views -> coaching.templatetags.coaching_tags" in output


def test_every_app_of_the_portal_is_in_the_contract():
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT
    }
    layers = CONFIG["contracts"][0]["layers"]
    in_layers = {name.strip().strip("()") for layer in layers for name in layer.split("|")}

    assert ours == set(CONFIG["root_packages"])
    assert ours <= in_layers
