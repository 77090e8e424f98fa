"""Engines that run batch jobs: a local process pool (default) or a Dask distributed cluster.

Both call the same top-level job function and hand each :class:`JobRecord` to
``on_record`` as it finishes; neither retries work that failed with an error.

Local pool. ``ProcessPoolExecutor`` with the ``spawn`` start method and at most
``workers`` jobs in flight. A worker that dies (segfault, ``os._exit``, out of
memory) breaks the pool: the jobs that were in flight are rerun each in its own
process, so only the one that really crashes becomes a ``worker`` failure, and
the remaining jobs go on in a fresh pool. Workers die with the batch (Linux
``PR_SET_PDEATHSIG``, and a parent check at every frame), so a killed run leaves
no orphan finishing work behind the next run's back.

Dask. ``scheduler`` is ``"dask"`` (a new ``LocalCluster`` with ``workers``
single-threaded worker processes), a scheduler address, or a ready
``distributed.Client`` (e.g. on a dask-jobqueue cluster). Jobs that kill their
worker are retried by Dask and finally reported as ``worker`` failures.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait as wait_sentinels
from pathlib import Path

from ..errors import LungeScreenError
from .jobs import Job, JobRecord, run_job

JobFn = Callable[..., JobRecord]
OnRecord = Callable[[JobRecord], None]
Poll = Callable[[], None]

# ---- inside a local worker process --------------------------------------------------------
_STATE: dict = {}


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _init_worker(frames, parent: int) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # MediaPipe's native log lines would only clutter the parent's terminal
    os.close(devnull)
    _die_with_parent()
    _STATE.update(frames=frames, parent=parent)
    if os.getppid() != parent:
        os._exit(1)


def _tick(done: int, total: int) -> None:
    if os.getppid() != _STATE["parent"]:  # the batch was killed: stop, leave only a temporary folder
        os._exit(1)
    frames = _STATE["frames"]
    with frames.get_lock():
        frames[0] += done - _STATE["last"]
        frames[1], frames[2] = done, total
    _STATE["last"] = done


def _pool_job(job_fn: JobFn, job: Job) -> JobRecord:
    _STATE["last"] = 0
    return job_fn(job, progress=_tick)


def _isolated_main(job_fn: JobFn, job: Job, conn, frames, parent: int) -> None:
    _init_worker(frames, parent)
    conn.send(_pool_job(job_fn, job))
    conn.close()


# ---- in the batch process -----------------------------------------------------------------
def worker_failure(job: Job, error: str) -> JobRecord:
    return JobRecord(
        job.input.path, job.input.video, Path(job.out_dir).name, status="failed", stage="worker", error=error
    )


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"the worker process was killed by {signal.Signals(-exitcode).name} while analysing this video"
    return f"the worker process died (exit code {exitcode}) while analysing this video"


def run_isolated(ctx, job_fn: JobFn, jobs: Sequence[Job], workers: int, frames, on_record: OnRecord, poll: Poll):
    """Run each job in its own process (``workers`` at a time) so a crash is pinned on its video."""
    queue, running = list(jobs), {}
    while queue or running:
        while queue and len(running) < workers:
            job = queue.pop(0)
            reader, writer = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_isolated_main, args=(job_fn, job, writer, frames, os.getpid()), daemon=True)
            p.start()
            writer.close()
            running[p.sentinel] = (p, reader, job)
        for sentinel in wait_sentinels(list(running), timeout=0.2):
            p, reader, job = running.pop(sentinel)
            record = None
            with contextlib.suppress(EOFError, OSError):
                if reader.poll():
                    record = reader.recv()
            p.join()
            reader.close()
            on_record(record if record is not None else worker_failure(job, _death(p.exitcode)))
        poll()


def new_frame_counter(ctx):
    """Shared ``[frames analysed so far, current video's frames done, its total]`` for local workers."""
    return ctx.Array("q", 3)


def run_local(
    jobs: Sequence[Job],
    workers: int,
    on_record: OnRecord,
    poll: Poll,
    *,
    ctx=None,
    frames=None,
    job_fn: JobFn = run_job,
) -> None:
    """Run jobs in a process pool, ``workers`` at a time; a crashed worker fails only its own video."""
    ctx = ctx or mp.get_context("spawn")
    frames = frames if frames is not None else new_frame_counter(ctx)
    pending = list(jobs)
    while pending:
        suspects: list[Job] = []
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(frames, os.getpid()))
        inflight: dict = {}
        try:
            while (pending or inflight) and not suspects:
                while pending and len(inflight) < workers:
                    job = pending.pop(0)
                    inflight[pool.submit(_pool_job, job_fn, job)] = job
                done, _ = wait(inflight, timeout=0.2, return_when=FIRST_COMPLETED)
                poll()
                for fut in done:
                    job = inflight.pop(fut)
                    try:
                        on_record(fut.result())
                    except BrokenProcessPool:
                        suspects.append(job)
                    except Exception as exc:  # e.g. a job that cannot be pickled
                        on_record(worker_failure(job, f"{type(exc).__name__}: {exc}"))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        for fut, job in inflight.items():  # the pool broke: keep what finished, suspect the rest
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                on_record(fut.result())
            else:
                suspects.append(job)
        if suspects:
            run_isolated(ctx, job_fn, suspects, workers, frames, on_record, poll)


class DaskMissingError(LungeScreenError):
    """--dask/--scheduler without Dask installed: a usage error."""

    exit_code = 2


def run_dask(
    jobs: Sequence[Job], workers: int, scheduler, on_record: OnRecord, poll: Poll, job_fn: JobFn = run_job
) -> None:
    """Run jobs on a Dask cluster (see the module docstring for ``scheduler``)."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise DaskMissingError(
            "Dask is not installed: pip install 'lunge-screen[dask]' (or run without --dask/--scheduler)"
        ) from None
    with contextlib.ExitStack() as stack:
        if hasattr(scheduler, "submit"):
            client = scheduler
        elif scheduler in (None, "dask"):
            cluster = stack.enter_context(
                LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            )
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(Client(scheduler))
        run = uuid.uuid4().hex[:8]  # keys unique per run: a reused client must not hand back an old result
        futures = {client.submit(job_fn, job, key=f"lunge-screen-{run}-{Path(job.out_dir).name}"): job for job in jobs}
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                on_record(fut.result())
            except Exception as exc:  # KilledWorker and the like: the job never returned
                on_record(worker_failure(job, f"{type(exc).__name__}: {exc}"))
            poll()
