"""The wheel users install carries the three packages and the dashboard's templates and static files."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is needed to build from a clean copy of the checkout")
    src = tmp_path_factory.mktemp("src")
    subprocess.run(["git", "clone", "-q", str(ROOT), str(src)], check=True)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(src)], check=True)
    (built,) = out.glob("liteboard-*.whl")
    with zipfile.ZipFile(built) as zf:
        return set(zf.namelist())


@pytest.mark.parametrize("path", [
    "engine/__init__.py", "tracker/__init__.py", "dashboard/__init__.py", "liteboard/__init__.py",
    "dashboard/templates/base.html", "dashboard/static/scalars/smoothing.js",
])
def test_wheel_carries(wheel, path):
    assert path in wheel


def test_wheel_declares_the_console_script(wheel):
    assert any(name.endswith("entry_points.txt") for name in wheel)


def test_every_tracked_template_and_static_file_is_packaged(wheel):
    tracked = subprocess.run(["git", "ls-files", "templates", "static"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    assert tracked
    assert {f"dashboard/{path}" for path in tracked} <= wheel
