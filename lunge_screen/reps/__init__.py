"""Repetitions: detection (start, bottom, end), the lead leg of each, and edit cuts that interrupt them."""
