"""The clinic app: ``lunge-screen app`` serves a local web page for patients, sessions and reports.

A physiotherapist drops a video into the page; it becomes a session of a patient, is analysed in
a separate process (one at a time, queued), and its report, annotated video and findings show in
the page. Everything stays in one data folder (:mod:`lunge_screen.app.folder`) indexed by a SQLite
database (:mod:`lunge_screen.app.db`, :mod:`lunge_screen.app.store`).

Modules, one job each:

=================  ============================================================================
``launch``         the command: free port, per-launch token, uvicorn on 127.0.0.1, the browser
``server``         the Starlette application: routes, templates, start-up and shut-down
``security``       every request: Host check, token -> session cookie, same-origin POSTs, headers
``folder``         the data folder's layout; ids that are the only names used as paths
``db``             the SQLite schema, its version and the migration list
``store``          patients and sessions: typed rows in and out of the database
``uploads``        a video streamed to disk under a generated name, with a size limit
``forms``          small URL-encoded forms, parsed with a size limit
``runner``         the queue: one analysis subprocess at a time, interrupted-session marking
``job``            the analysis subprocess (``python -m lunge_screen.app.job SESSION_DIR``)
``jobfiles``       the files a job and the app exchange: job.json, progress.json, outcome.json
``events``         progress to the page as server-sent events
``settings_form``  the per-session model and thresholds, with their units, meanings and sources
``pages``          the HTML pages (patients, a patient, a session, compare)
``files``          report files, the annotated video and the zip download
``comparison``     the compare page, through :mod:`lunge_screen.compare`
=================  ============================================================================

Needs the ``app`` extra: ``pip install 'lunge-screen[app]'``. Security model and data folder: docs/app.md.
"""
