"""Finding templates, static files and plotly.js in a wheel or a checkout."""

import pytest

from dashboard.web import resources


def test_the_checkout_folders_are_found_when_the_package_has_none():
    assert resources.resource_dir("templates") == resources.CHECKOUT_DIR / "templates"
    assert (resources.resource_dir("static") / "scalars" / "smoothing.js").is_file()


def test_the_packaged_copy_wins(tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(resources, "PACKAGE_DIR", tmp_path)
    assert resources.resource_dir("templates") == tmp_path / "templates"


def test_a_missing_folder_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "PACKAGE_DIR", tmp_path)
    monkeypatch.setattr(resources, "CHECKOUT_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="'static'"):
        resources.resource_dir("static")


def test_plotly_js_comes_from_the_installed_package():
    path = resources.plotly_js_path()
    assert path.name == "plotly.min.js" and path.parent.name == "package_data"
    assert path.stat().st_size > 1_000_000
