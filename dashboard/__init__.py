"""The liteboard dashboard: a Flask app over the tracker's reader."""
