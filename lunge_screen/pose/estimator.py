"""The MediaPipe Pose Landmarker (Tasks API, VIDEO mode): the only place that creates MediaPipe landmarkers.

Each segment of a video gets a fresh landmarker: creating one costs 0.05-0.09 s, while
reusing one carries its tracking state into the next video and changes its landmarks
(measured: up to 970 px on the first frames, and still up to 4 px after resetting it
with a blank frame).
"""

from __future__ import annotations

import contextlib
import os

import numpy as np

from ..errors import ModelError
from ..io.frames import Frame
from ..io.models import ResolvedModel
from ..settings import ExtractSettings
from ..track.series import N_LANDMARKS

#: Set once this process has created a MediaPipe graph: forking helper processes is unsafe from then on.
GRAPH_CREATED = False


@contextlib.contextmanager
def quiet_native_stderr():
    """Silence the C++ log lines MediaPipe/TFLite print to file descriptor 2.

    MediaPipe's native code logs to fd 2 directly (model load, tensor alignment,
    accelerator teardown), which Python cannot filter. Python exceptions are
    objects and still propagate; :func:`lunge_screen.progress.progress_bar` writes
    to its own copy of the original stderr, so progress stays visible.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class PoseEstimator:
    """A MediaPipe Pose Landmarker in VIDEO mode. Use as a context manager, or ``close()``."""

    def __init__(self, model: ResolvedModel, settings: ExtractSettings) -> None:
        global GRAPH_CREATED
        os.environ.setdefault("GLOG_minloglevel", "2")
        try:
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise ModelError(f"mediapipe is not installed ({exc})") from None
        self._mp = mp
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model.path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=settings.max_people,
            min_pose_detection_confidence=settings.min_detection_confidence,
            min_pose_presence_confidence=settings.min_detection_confidence,
            min_tracking_confidence=settings.min_tracking_confidence,
        )
        self._landmarker = None
        GRAPH_CREATED = True
        try:
            with quiet_native_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load pose model {model.path}: {str(exc).splitlines()[0]}") from None
        self.max_people = settings.max_people
        self._last_ms = -1

    def detect(self, frame: Frame, width: int, height: int) -> tuple[np.ndarray, ...]:
        """Landmarks of one frame: ``image (P,33,3)`` px, ``world (P,33,3)`` m, ``vis``, ``pres`` ``(P,33)``.

        ``width``/``height`` are the full display size the normalised coordinates refer to.
        """
        ms = int(round(frame.time * 1000.0))
        ms = max(ms, self._last_ms + 1)  # VIDEO mode needs strictly increasing timestamps
        self._last_ms = ms
        img = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=frame.image)
        result = self._landmarker.detect_for_video(img, ms)
        p = self.max_people
        image = np.full((p, N_LANDMARKS, 3), np.nan, np.float32)
        world = np.full((p, N_LANDMARKS, 3), np.nan, np.float32)
        vis = np.full((p, N_LANDMARKS), np.nan, np.float32)
        pres = np.full((p, N_LANDMARKS), np.nan, np.float32)
        for k, (lms, wlms) in enumerate(zip(result.pose_landmarks, result.pose_world_landmarks)):
            if k >= p:
                break
            a = np.array([(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0) for lm in lms], np.float32)
            image[k, :, 0] = a[:, 0] * width
            image[k, :, 1] = a[:, 1] * height
            image[k, :, 2] = a[:, 2] * width
            vis[k], pres[k] = a[:, 3], a[:, 4]
            world[k] = np.array([(lm.x, lm.y, lm.z) for lm in wlms], np.float32)
        return image, world, vis, pres

    def close(self) -> None:
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def mediapipe_version() -> str:
    """MediaPipe's version from package metadata (no import of mediapipe itself)."""
    try:
        from importlib.metadata import version

        return version("mediapipe")
    except Exception:  # pragma: no cover - metadata missing
        return ""
