"""RunInfo.to_dict is the JSON the run index stores and the API sends: asdict's answer, copied."""

import dataclasses
import math

import tracker


def test_to_dict_is_asdict_and_a_copy(tmp_path):
    with tracker.SummaryWriter(str(tmp_path / "run")) as writer:
        writer.add_scalar("loss", float("nan"), 0)
        writer.add_scalars("gap", {"train": 1.0, "val": 2.0}, 0)
        writer.add_hparams({"lr": 0.1, "opt": "adam"}, {"m": 1.0})
        writer.add_custom_scalars({"cat": {"chart": ["Multiline", ["loss"]]}})
        writer.add_text("notes", "hello", 0)
    info = tracker.list_runs(tmp_path)[0]
    expected = dataclasses.asdict(info)
    expected["tags"] = {name: dataclasses.asdict(tag) for name, tag in info.tags.items()}
    data = info.to_dict()
    assert math.isnan(data["tags"]["loss"]["last"])
    data["tags"]["loss"]["last"] = expected["tags"]["loss"]["last"] = None
    assert data == expected and data["charts"] and data["hparams"] == {"lr": 0.1, "opt": "adam"}
    data["hparams"]["lr"] = 5
    data["charts"].clear()
    assert info.hparams["lr"] == 0.1 and info.charts
