"""The README's first example runs and prints what the README says it prints."""

import contextlib
import io
import re
from pathlib import Path

import engine

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_training_script_prints_its_documented_output(tmp_path, monkeypatch):
    script, output = re.search(r"```python\n(.*?)```\s*```\n(.*?)```", README, re.DOTALL).groups()
    monkeypatch.chdir(tmp_path)
    engine.reset_default_graph()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(script, "README.md", "exec"), {"__name__": "readme"})
    assert printed.getvalue() == output
    assert (tmp_path / "runs" / "linreg" / "events.sqlite").is_file()
