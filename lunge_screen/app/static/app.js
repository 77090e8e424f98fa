// lunge-screen app: uploads, live progress (server-sent events), report frame and print. No build step.
"use strict";
(function () {
  const FINISHED = ["done", "failed", "interrupted"];
  let source = null;

  function duration(seconds) {  // the same words as pages.duration on the server
    const s = Math.max(0, Math.round(seconds));
    return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
  }

  function span(cls, text) {
    const el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    return el;
  }

  // One session's state, as the _status.html macro renders it.
  function renderStatus(el, st) {
    el.dataset.status = st.status;
    el.replaceChildren(span(`badge s-${st.status}`, st.status));
    if (st.status === "queued") {
      el.append(span("stage", "waiting" + (st.queue_position ? ` (number ${st.queue_position} in the queue)` : "")));
    } else if (st.status === "running") {
      const p = st.progress;
      el.append(span("stage", p ? p.label : "Starting the analysis"));
      const bar = document.createElement("progress");
      bar.max = 100;
      if (p && p.percent !== null) bar.value = p.percent.toFixed(1);
      el.append(bar, span("frames", p && p.total ? `${p.done} / ${p.total} frames` : ""),
        span("eta", p && p.eta_s !== null ? `about ${duration(p.eta_s)} left` : ""));
    } else if (st.error && st.status !== "done") {
      el.append(span("error", st.error));
    }
  }

  function onFinished(st) {
    const section = document.getElementById("analysis");
    if (section && section.dataset.reloadWhenFinished === "yes") {
      location.reload();  // the session page: show the report (or the error) rendered by the server
      return;
    }
    const row = document.getElementById(`row-${st.id}`);
    if (!row) return;
    const cell = row.querySelector(".finding-cell");
    if (cell && st.finding) cell.textContent = st.finding;
    const box = row.querySelector("input[type=checkbox]");
    if (box && st.status === "done") box.disabled = false;
  }

  function watch() {
    if (source) source.close();
    source = null;
    const open = [...document.querySelectorAll(".status[data-session]")]
      .filter((el) => !FINISHED.includes(el.dataset.status)).map((el) => el.dataset.session);
    const ids = [...new Set(open)];
    if (!ids.length) return;
    source = new EventSource(`/events?ids=${ids.join(",")}`);
    source.onmessage = (event) => {
      const st = JSON.parse(event.data);
      document.querySelectorAll(`.status[data-session="${st.id}"]`).forEach((el) => {
        const was = el.dataset.status;
        renderStatus(el, st);
        if (FINISHED.includes(st.status) && !FINISHED.includes(was)) onFinished(st);
      });
      const still = [...document.querySelectorAll(".status[data-session]")]
        .some((el) => !FINISHED.includes(el.dataset.status));
      if (!still && source) { source.close(); source = null; }
    };
  }

  async function refreshSessions() {
    const response = await fetch(location.pathname, { credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("sessions");
    if (fresh) document.getElementById("sessions").replaceWith(fresh);
    watch();
  }

  function uploadOne(drop, file) {
    const item = document.createElement("li");
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const note = span("note", "uploading");
    item.append(span("video-name", file.name), " ", bar, " ", note);
    document.getElementById("uploads").append(item);
    const fail = (text) => { item.classList.add("failed"); bar.remove(); note.className = "error"; note.textContent = text; };
    if (file.size > Number(drop.dataset.maxUpload)) {
      fail(drop.dataset.limitMessage);
      return Promise.resolve();
    }
    const query = new URLSearchParams({
      name: file.name, date: document.getElementById("date").value,
      notes: document.getElementById("notes").value, model: document.getElementById("model").value,
    });
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `${drop.dataset.uploadUrl}?${query}`);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = (100 * e.loaded) / e.total; };
      xhr.onload = () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        if (xhr.status === 201) {
          bar.remove();
          note.textContent = "uploaded: queued for analysis";
        } else {
          fail(body.error || `the app refused the upload (HTTP ${xhr.status})`);
        }
        resolve();
      };
      xhr.onerror = () => { fail("the upload failed: the connection was lost or the app refused it"); resolve(); };
      xhr.send(file);
    });
  }

  async function uploadAll(drop, files) {
    for (const file of files) await uploadOne(drop, file);
    await refreshSessions();
  }

  function setUpDrop() {
    const drop = document.getElementById("drop");
    if (!drop) return;
    const input = document.getElementById("files");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      uploadAll(drop, [...e.dataTransfer.files]);
    });
    input.addEventListener("change", () => { uploadAll(drop, [...input.files]); input.value = ""; });
  }

  function setUpFrames() {
    document.querySelectorAll("iframe.report").forEach((frame) => {
      const fit = () => {
        try { frame.style.height = `${frame.contentDocument.documentElement.scrollHeight + 24}px`; } catch (e) { /* not loaded */ }
      };
      frame.addEventListener("load", fit);
      fit();
    });
    document.querySelectorAll("button[data-print]").forEach((button) => {
      button.addEventListener("click", () => document.getElementById(button.dataset.print).contentWindow.print());
    });
  }

  document.addEventListener("DOMContentLoaded", () => { setUpDrop(); setUpFrames(); watch(); });
})();
