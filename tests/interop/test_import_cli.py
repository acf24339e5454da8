"""The `liteboard import` command: one summary line, problems named, a missing extra in one line."""

import sys

import pytest

from dashboard import cli

from tb_logdirs import write_logdir

pytest.importorskip("tensorboard")


def test_import_prints_one_summary_line(tmp_path, capsys):
    write_logdir(tmp_path / "tb")
    assert cli.main(["import", str(tmp_path / "tb"), str(tmp_path / "lb")]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("liteboard import: imported 1 graphs, 2 histograms, 1 hparams, 2 images, ")
    assert out.endswith(" into 3 runs; skipped 1 (audio)\n")
    assert cli.main(["import", str(tmp_path / "tb"), str(tmp_path / "lb")]) == 0
    assert capsys.readouterr().out == "liteboard import: imported nothing new into 0 runs\n"


def test_a_missing_tensorboard_logdir(tmp_path, capsys):
    assert cli.main(["import", str(tmp_path / "nowhere"), str(tmp_path / "lb")]) == 2
    assert capsys.readouterr().err == (f"liteboard import: TensorBoard logdir '{tmp_path / 'nowhere'}' "
                                       "is not a directory\n")


def test_without_tensorboard_the_message_names_the_extra(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    monkeypatch.delitem(sys.modules, "tracker.interop.tb_import", raising=False)
    monkeypatch.delattr("tracker.interop.tb_import", raising=False)
    assert cli.main(["import", str(tmp_path), str(tmp_path / "lb")]) == 2
    assert capsys.readouterr().err == ("liteboard import: importing TensorBoard logdirs needs the tensorboard "
                                       "package, which is not installed: "
                                       "pip install 'liteboard[tensorboard]'\n")
