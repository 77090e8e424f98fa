"""Screening: per-rep measures, clinical categories, per-leg summaries, the finding, quality warnings."""
