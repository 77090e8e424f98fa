"""Files in and out: video (probe, decode), frames, landmark files, session.json, CSV tables, models, atomic writes."""
