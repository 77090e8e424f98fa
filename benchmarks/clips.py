"""Test videos made on the fly for the benchmarks: a real clip, upscaled and looped.

Nothing here is committed: the files go to ``benchmarks/out/clips/`` (git-ignored)
and are reused by later runs (the name encodes every parameter).

A long clip is made cheaply: one pass of the source clip is re-encoded at the
target size with libx264, then that encoded pass is repeated at the container
level (packets copied with shifted timestamps) until the wanted duration is
reached. Each pass starts with a keyframe, so the result is an ordinary H.264
file that every decoder plays; decoding it costs what decoding a real video of
that size and bit rate costs. The loop points are edit cuts (the clip jumps back
to its start), which the analysis sees as cuts -- harmless for a speed test.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av

OUT_DIR = Path(__file__).resolve().parent / "out" / "clips"
#: libx264 settings for the made clips: "veryfast" keeps making a 4K pass quick;
#: CRF 20 is visually transparent. Decoding cost is that of a High-profile CABAC stream.
X264_OPTIONS = {"crf": "20", "preset": "veryfast"}


def _encode_pass(src: Path, dst: Path, width: int, height: int) -> None:
    """Re-encode every frame of ``src`` once at ``width`` x ``height`` (bicubic) to ``dst``."""
    with av.open(str(src)) as inp:
        ist = inp.streams.video[0]
        rate = ist.average_rate or Fraction(30)
        tmp = dst.with_suffix(".part.mp4")
        with av.open(str(tmp), "w") as out:
            ost = out.add_stream("libx264", rate=rate)
            ost.width, ost.height, ost.pix_fmt = width, height, "yuv420p"
            ost.options = dict(X264_OPTIONS)
            for i, frame in enumerate(inp.decode(ist)):
                img = frame.reformat(width=width, height=height, format="yuv420p", interpolation="BICUBIC")
                img.pts, img.time_base = i, Fraction(1) / rate
                for packet in ost.encode(img):
                    out.mux(packet)
            for packet in ost.encode():
                out.mux(packet)
        tmp.replace(dst)


def _loop(src: Path, dst: Path, seconds: float) -> None:
    """Repeat the packets of ``src`` (one encoded pass) until ``seconds`` are covered.

    The last pass is cut in decoding order at ``seconds``, so every kept packet's
    reference frames are kept too (no broken frames at the end).
    """
    with av.open(str(src)) as inp:
        ist = inp.streams.video[0]
        packets = [p for p in inp.demux(ist) if p.size]
        pass_pts = max(p.pts + (p.duration or 0) for p in packets) - min(p.pts for p in packets)
        pass_s = float(pass_pts * ist.time_base)
        loops = max(1, math.ceil(seconds / pass_s - 1e-6))
        tmp = dst.with_suffix(".part.mp4")
        with av.open(str(tmp), "w") as out:
            ost = out.add_stream_from_template(ist)
            end = min(p.dts for p in packets) + int(seconds / ist.time_base)
            for k in range(loops):
                for p in packets:
                    p.pts += pass_pts if k else 0
                    p.dts += pass_pts if k else 0
                    if p.dts >= end:
                        break
                    p.stream = ost
                    out.mux(p)
        tmp.replace(dst)


def make_clip(src: str | Path, *, height: int, seconds: float | None = None, out_dir: Path = OUT_DIR) -> Path:
    """A copy of ``src`` scaled to ``height`` pixels (long side kept in proportion), looped to ``seconds``.

    ``height`` is the output's *shorter* side (1080 = "1080p", 2160 = "4K"). Returns
    the cached file when it already exists.
    """
    src = Path(src)
    with av.open(str(src)) as inp:
        w, h = inp.streams.video[0].width, inp.streams.video[0].height
    short, long_ = min(w, h), max(w, h)
    scale = height / short
    long_px = int(round(long_ * scale / 16)) * 16  # 608x1080 -> 1080x1920, 2160x3840
    size = (height, long_px) if w <= h else (long_px, height)
    out_dir.mkdir(parents=True, exist_ok=True)
    one = out_dir / f"{src.stem}_{size[0]}x{size[1]}.mp4"
    if not one.exists():
        _encode_pass(src, one, *size)
    if not seconds:
        return one
    looped = out_dir / f"{src.stem}_{size[0]}x{size[1]}_{int(seconds)}s.mp4"
    if not looped.exists():
        _loop(one, looped, seconds)
    return looped


__all__ = ["OUT_DIR", "X264_OPTIONS", "make_clip"]
