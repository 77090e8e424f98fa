"""Measurement: pure kinematics, camera view, the standing reference, per-frame leg measures."""
