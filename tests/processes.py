"""A fresh interpreter of our own, for what only a new process sees (settings, a new database)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(script, *, env, timeout=60):
    """Run ``python -c script`` in the project root with ``env``; returns its last output line.

    Fails the test, with the process's error output, when the script fails.
    """
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]
