"""The Histograms and Distributions page family: a tag's histograms by step, and their percentiles."""
