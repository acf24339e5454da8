"""The Images page family: a tag's images by step, and each image's PNG."""
