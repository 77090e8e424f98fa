"""Pose extraction: video frames -> MediaPipe Pose landmarks (:func:`~lunge_screen.pose.extract.extract_landmarks`).

``estimator`` wraps MediaPipe; ``run`` analyses one time segment in one process (decode
thread, thumbnails, timings); ``segments`` plans the cuts (pure); ``parallel`` runs
segments in helper processes; ``extract`` plans a video and joins its segments.
"""
