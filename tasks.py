"""The README's commands: `python3 tasks.py demo`, `python3 tasks.py test` (and `screenshots`).

Plain Python rather than make, so a fresh machine needs only Python 3 and the
package registry. Each command creates `.venv` on first use and installs
liteboard into it (editable, so a change to the code needs no reinstall).
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def ensure_venv(extras=""):
    """Create the venv and (re)install liteboard when pyproject.toml changed."""
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    stamp = VENV / f".installed{extras}"
    pyproject = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f".{extras}")
        stamp.touch()


def demo(argv):
    """Train example runs into runs/demo, then serve the dashboard."""
    ensure_venv()
    run(PYTHON, "-m", "examples.demo", *argv)


def test(argv):
    """Run the whole test suite; browser tests skip where no chromium is installed."""
    ensure_venv("[dev]")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *argv], cwd=ROOT)
    sys.exit(result.returncode)


def screenshots(argv):
    """Retake the README's pictures of the demo runs into docs/images/ (needs chromium)."""
    ensure_venv("[dev]")
    env = dict(os.environ, LITEBOARD_SCREENSHOTS=str(ROOT / "docs" / "images"))
    result = subprocess.run([str(PYTHON), "-m", "pytest", "-q", "tests/e2e/test_e2e_tour.py", *argv],
                            cwd=ROOT, env=env)
    sys.exit(result.returncode)


COMMANDS = {"demo": demo, "test": test, "screenshots": screenshots}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}} [args...]")
    COMMANDS[sys.argv[1]](sys.argv[2:])
