"""Following the person: the landmark series, the chosen subject, left/right labels, clean signals."""
