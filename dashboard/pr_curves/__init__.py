"""The PR curves page family: each tag's precision-recall curves of every run, by step."""
