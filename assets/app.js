// The Orc playground's page: the editor, the examples menu, Run and Stop,
// the live output, the diagnostics on the source, the timeline, and the
// program carried in the URL's fragment (#code=...). It talks to the
// server only through the HTTP API of docs/serve.md.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";

  // ---- The program in the URL: #code=<base64url of its UTF-8>&time=sim ----
  function encodeProgram(text) {
    const bytes = new TextEncoder().encode(text);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decodeProgram(code) {
    const b64 = code.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(b64 + "===".slice((b64.length + 3) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }
  function fromFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    let source = null;
    if (params.has("code")) {
      try { source = decodeProgram(params.get("code")); } catch (e) { source = null; }
    }
    return { source, time: params.get("time") };
  }
  let fragmentTimer = null;
  function updateFragment() {
    clearTimeout(fragmentTimer);
    fragmentTimer = setTimeout(() => {
      const hash = "#code=" + encodeProgram(view.state.doc.toString()) + "&time=" + $("time").value;
      history.replaceState(null, "", hash);
    }, 250);
  }

  // ---- The editor ----
  const view = new CM.EditorView({
    parent: $("editor"),
    state: CM.EditorState.create({
      doc: "",
      extensions: [
        CM.lineNumbers(),
        CM.highlightActiveLineGutter(),
        CM.history(),
        CM.drawSelection(),
        CM.indentOnInput(),
        CM.bracketMatching(),
        CM.highlightActiveLine(),
        window.orcLanguage,
        CM.syntaxHighlighting(window.orcHighlight),
        CM.syntaxHighlighting(CM.defaultHighlightStyle, { fallback: true }),
        CM.lintGutter(),
        CM.indentUnit.of("  "),
        CM.keymap.of([
          { key: "Mod-Enter", run: () => { run(); return true; } },
          CM.indentWithTab,
          ...CM.defaultKeymap,
          ...CM.historyKeymap,
        ]),
        CM.EditorView.updateListener.of((u) => { if (u.docChanged) updateFragment(); }),
      ],
    }),
  });
  function setSource(text) {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    view.dispatch(CM.setDiagnostics(view.state, []));
  }

  // ---- Output ----
  const output = $("output");
  function formatMs(ms) {
    if (ms == null) return "";
    return (Math.round(ms * 10) / 10) + " ms";
  }
  // The page keeps at most this many output lines and marks of each kind
  // (a run may print a megabyte of short lines); the rest are counted.
  const MAX_LINES = 5000, MAX_MARKS = 5000;
  let linesNotShown = 0;
  function addLine(kind, ms, text, title) {
    if (output.childElementCount >= MAX_LINES && kind !== "end") {
      linesNotShown++;
      return;
    }
    const line = document.createElement("div");
    line.className = "ev ev-" + kind;
    const t = document.createElement("span");
    t.className = "t";
    t.textContent = formatMs(ms);
    const body = document.createElement("span");
    body.className = "text";
    body.textContent = text;
    if (title) line.title = title;
    line.append(t, body);
    const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    output.append(line);
    if (atBottom) output.scrollTop = output.scrollHeight;
  }
  function status(state, text, outcome) {
    const s = $("status");
    s.dataset.state = state;
    if (outcome) s.dataset.outcome = outcome; else delete s.dataset.outcome;
    s.textContent = text;
  }

  // ---- Diagnostics on the source ----
  let diagnostics = [];
  function addDiagnostic(d, severity) {
    if (d.from == null) return;
    const len = view.state.doc.length;
    const from = Math.min(d.from, len);
    let to = Math.min(Math.max(d.to, from), len);
    if (to === from && to < len) to = from + 1;
    diagnostics.push({ from, to, severity, message: d.message + (d.help ? "\n" + d.help : "") });
    view.dispatch(CM.setDiagnostics(view.state, diagnostics));
  }

  // ---- The timeline ----
  let marks = [];      // {kind, ms, end_ms, text}
  let endMs = null;    // when the run ended (its clock)
  let latestMs = 0;    // the latest time seen
  let drawPending = false;
  const markCounts = {};
  function addMark(m) {
    markCounts[m.kind] = (markCounts[m.kind] || 0) + 1;
    if (m.kind === "call" || markCounts[m.kind] <= MAX_MARKS) marks.push(m);
  }
  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; drawTimeline(); });
  }
  function niceStep(span) {
    const raw = span / 8;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
    return 10 * p;
  }
  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.append(e);
    return e;
  }
  function drawTimeline() {
    const box = $("timeline");
    const width = Math.max(box.clientWidth, 300);
    const left = 90, right = 34, top = 18, lane = 22;
    // Nothing yet: a second's axis.
    const span = marks.length || endMs ? Math.max(endMs || 0, latestMs, 1) : 1000;
    const x = (ms) => left + (Math.min(ms, span) / span) * (width - left - right);
    // Site calls: packed into rows, so that overlapping waits can be told apart.
    const calls = marks.filter((m) => m.kind === "call");
    const rows = [];
    for (const c of calls) {
      const end = c.end_ms == null ? span : c.end_ms;
      let row = rows.findIndex((r) => r <= c.ms);
      if (row < 0) { row = rows.length < 12 ? rows.length : rows.length - 1; if (row === rows.length) rows.push(0); }
      rows[row] = Math.max(rows[row], end + span / 200);
      c.row = row;
    }
    const lanes = ["publish", "print", "error"];
    const callTop = top + lanes.length * lane;
    const height = callTop + Math.max(rows.length, 1) * 12 + 16;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, height: height });
    const step = niceStep(span);
    for (let i = 0; i * step <= span + 1e-9; i++) {
      const t = i * step;
      el("line", { class: "grid", x1: x(t), x2: x(t), y1: top - 4, y2: height }, svg);
      const label = el("text", { class: "tick", x: x(t), y: 11, "text-anchor": "middle" }, svg);
      label.textContent = step >= 1000 ? +(t / 1000).toFixed(3) + " s" : +t.toFixed(3) + " ms";
    }
    const names = { publish: "publications", print: "prints", error: "errors" };
    lanes.forEach((kind, i) => {
      const y = top + i * lane + lane / 2;
      const label = el("text", { class: "lane-label", x: 6, y: y + 4 }, svg);
      label.textContent = names[kind];
      el("line", { class: "axis", x1: left, x2: width - right, y1: y, y2: y, "stroke-width": 0.5 }, svg);
    });
    const callLabel = el("text", { class: "lane-label", x: 6, y: callTop + 10 }, svg);
    callLabel.textContent = "site calls";
    for (const m of marks) {
      let e;
      if (m.kind === "call") {
        const y = callTop + 6 + m.row * 12;
        const end = m.end_ms == null ? span : m.end_ms;
        e = el("line", { class: "mark mark-call" + (m.killed ? " killed" : ""), x1: x(m.ms), x2: Math.max(x(end), x(m.ms) + 0.5), y1: y, y2: y }, svg);
      } else {
        const y = top + lanes.indexOf(m.kind) * lane + lane / 2;
        e = el("circle", { class: "mark mark-" + m.kind, cx: x(m.ms), cy: y, r: 4.5 }, svg);
      }
      const title = el("title", {}, e);
      title.textContent = m.kind === "call"
        ? `${m.text}: called at ${formatMs(m.ms)}, ` + (m.end_ms == null ? "still waiting at the end"
            : m.killed ? `abandoned at ${formatMs(m.end_ms)}` : `answered at ${formatMs(m.end_ms)}`)
        : `${formatMs(m.ms)}: ${m.text}`;
    }
    if (endMs != null) {
      el("line", { class: "mark-end", x1: x(endMs), x2: x(endMs), y1: top - 4, y2: height }, svg);
    }
    box.replaceChildren(svg);
    $("timeline-clock").textContent = shownTime ? `(${shownTime === "sim" ? "simulated" : "real"} time)` : "";
  }
  window.addEventListener("resize", scheduleDraw);

  // ---- Runs ----
  let current = null; // {id, controller, time, ended}
  let shownTime = null; // the clock of the run shown
  function resetRun() {
    output.replaceChildren();
    marks = [];
    endMs = null;
    latestMs = 0;
    linesNotShown = 0;
    for (const k in markCounts) delete markCounts[k];
    diagnostics = [];
    view.dispatch(CM.setDiagnostics(view.state, []));
    scheduleDraw();
  }

  function handle(run, name, data) {
    if (data.ms != null) latestMs = Math.max(latestMs, data.ms);
    switch (name) {
      case "start":
        run.id = data.id;
        break;
      case "diagnostic": {
        const where = data.line ? `line ${data.line}, column ${data.column}: ` : "";
        addLine(data.severity === "warning" ? "warning" : "diagnostic", null,
          `${data.severity}: ${where}${data.message}` + (data.help ? ` (${data.help})` : ""));
        addDiagnostic(data, data.severity === "warning" ? "warning" : "error");
        break;
      }
      case "publish":
        addLine("publish", data.ms, data.text);
        addMark({ kind: "publish", ms: data.ms, text: data.text });
        break;
      case "print": {
        const text = data.text.replace(/\n$/, "");
        addLine("print", data.ms, text);
        addMark({ kind: "print", ms: data.ms, text });
        break;
      }
      case "error": {
        const where = data.line ? ` (line ${data.line}, column ${data.column})` : "";
        addLine("error", data.ms, "error: " + data.message + where);
        addMark({ kind: "error", ms: data.ms, text: data.message });
        addDiagnostic(data, "error");
        break;
      }
      case "call":
        addMark({ kind: "call", ms: data.ms, end_ms: data.end_ms, killed: data.killed, text: data.text });
        if (data.end_ms != null) latestMs = Math.max(latestMs, data.end_ms);
        break;
      case "end": {
        run.ended = true;
        endMs = data.ms;
        let note = data.message;
        if (data.errors_not_sent) note += ` (${data.errors_not_sent} more errors not shown)`;
        if (data.calls_not_sent) note += ` (${data.calls_not_sent} more site calls not shown)`;
        if (linesNotShown) note += ` (${linesNotShown} more output lines not shown)`;
        addLine("end", data.ms, note);
        const state = data.outcome === "compile-error" ? "failed" : "ended";
        status(state, data.outcome === "halted" ? `Halted at ${formatMs(data.ms)}.` : note, data.outcome);
        break;
      }
    }
    scheduleDraw();
  }

  // Server-Sent Events from a fetch body: blocks separated by a blank line.
  function parseBlock(run, block) {
    let name = "message", data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      if (line.startsWith("event: ")) name = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (data) handle(run, name, JSON.parse(data));
  }

  async function run() {
    if (current) stop(true);
    resetRun();
    const time = $("time").value;
    const run = { id: null, controller: new AbortController(), time, ended: false };
    shownTime = time;
    current = run;
    $("stop").disabled = false;
    status("running", `Running (${time === "sim" ? "simulated" : "real"} time)…`);
    let response;
    try {
      response = await fetch("/api/run?time=" + time, {
        method: "POST",
        body: view.state.doc.toString(),
        headers: { "Content-Type": "text/plain; charset=utf-8" },
        signal: run.controller.signal,
      });
    } catch (e) {
      if (current === run) { status("failed", "Cannot reach the server: " + e.message); finish(run); }
      return;
    }
    if (!response.ok) {
      let message = `The server refused the run (${response.status}).`;
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
      if (current === run) { status(response.status === 503 ? "refused" : "failed", message); finish(run); }
      return;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (current === run) parseBlock(run, block);
        }
      }
    } catch (e) {
      // Aborted: stop() has said so.
    }
    if (current === run) {
      if (!run.ended) status("failed", "The connection to the server was lost; the run is over.", "lost");
      finish(run);
    }
  }

  function finish(run) {
    if (current === run) current = null;
    $("stop").disabled = true;
    scheduleDraw();
  }

  // Asks the server to stop the run (its stream then ends with `stopped`);
  // hangs up if that does not come soon, which stops the run too.
  function stop(replacing) {
    const run = current;
    if (!run) return;
    if (replacing || !run.id) {
      run.controller.abort();
      if (!replacing) {
        status("ended", "Stopped.", "stopped");
        addLine("end", latestMs, "Stopped.");
      }
      finish(run);
      return;
    }
    status("running", "Stopping…");
    fetch(`/api/runs/${run.id}/stop`, { method: "POST" }).catch(() => {});
    setTimeout(() => {
      if (!run.ended && current === run) {
        run.controller.abort();
        status("ended", "Stopped.", "stopped");
        finish(run);
      }
    }, 3000);
  }

  // ---- Wiring ----
  $("run").addEventListener("click", run);
  $("stop").addEventListener("click", () => stop(false));
  $("time").addEventListener("change", updateFragment);
  $("share").addEventListener("click", async () => {
    const hash = "#code=" + encodeProgram(view.state.doc.toString()) + "&time=" + $("time").value;
    history.replaceState(null, "", hash);
    try {
      await navigator.clipboard.writeText(location.href);
      status($("status").dataset.state, "Link copied: it carries the program.");
    } catch (e) {
      status($("status").dataset.state, "The address bar's link carries the program.");
    }
  });
  window.addEventListener("pagehide", () => { if (current) current.controller.abort(); });

  let examples = [];
  $("examples").addEventListener("change", () => {
    const chosen = examples.find((e) => e.name === $("examples").value);
    if (chosen) {
      setSource(chosen.source);
      resetRun();
      status("idle", `Loaded ${chosen.name}.orc. Press Run.`);
    }
  });

  const start = fromFragment();
  if (start.time === "real" || start.time === "sim") $("time").value = start.time;
  fetch("/api/examples").then((r) => r.json()).then((list) => {
    examples = list;
    for (const e of list) {
      const option = document.createElement("option");
      option.value = e.name;
      option.textContent = e.name;
      $("examples").append(option);
    }
    if (start.source == null && list.length) {
      const first = list.find((e) => e.name === "auction") || list[0];
      $("examples").value = first.name;
      setSource(first.source);
    }
    document.body.dataset.ready = "true";
  }).catch(() => { document.body.dataset.ready = "true"; });
  if (start.source != null) setSource(start.source);
  drawTimeline();

  // For scripts and tests: the editor's text.
  window.orcPlayground = { setSource, source: () => view.state.doc.toString(), run, stop: () => stop(false) };
})();
