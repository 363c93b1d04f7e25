// gokist's dashboard: one event stream (server-sent events from events, relative like
// every URL of the pages, so that they work behind a proxy's prefix too) feeds the page
// named by <body data-page>. The stream sends "state" events: the tasks finished
// since the previous event, the running ones, the passes' progress, per-worker rates and
// a sample of the process (see dashboard/snapshot.go for the fields).
"use strict";

const page = document.body.dataset.page;
const keptTasks = 20000; // the task stream keeps this many bars
const tasks = [];        // finished tasks {w, op, s, e}, oldest first
let last = null;         // the latest state event
let events = 0;

const palette = ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00acc1", "#6d4c41", "#c0ca33", "#d81b60", "#3949ab"];
const colours = new Map();
function colour(op) {
  if (!colours.has(op)) colours.set(op, palette[colours.size % palette.length]);
  return colours.get(op);
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + units[i];
}

function secs(s) {
  if (s < 0) return "?";
  if (s < 1) return (s * 1000).toFixed(0) + " ms";
  if (s < 120) return s.toFixed(1) + " s";
  return Math.floor(s / 60) + " min " + Math.round(s % 60) + " s";
}

// el makes an element; attrs.style is an object of CSS properties, set through the DOM
// (the page's Content-Security-Policy refuses inline style attributes).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "style") for (const [p, x] of Object.entries(v)) e.style.setProperty(p, x);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// threadName names task-stream worker w: a cluster worker's thread when the executor
// reports its workers, else a thread of the kernel.
function threadName(w, sys) {
  for (const c of (sys && sys.cluster) || []) {
    if (w >= c.Index && w < c.Index + c.Threads) return `${c.Name} #${w - c.Index}`;
  }
  return "thread " + w;
}

// The progress bars: one per pass, running ones first.
function drawProgress(passes) {
  const box = document.getElementById("progress");
  if (!passes.length) return;
  const sorted = passes.slice().sort((a, b) => (a.ended - b.ended) || (b.id - a.id));
  box.replaceChildren(...sorted.map(p => {
    const pct = p.total ? (100 * p.done / p.total) : 100;
    const state = p.stopped ? "stopped" : p.ended ? "done" : "~" + secs(p.eta) + " left";
    const bar = el("div", {class: "bar"}, el("div", {style: {width: pct.toFixed(1) + "%"}}));
    const text = el("div", {class: "text"},
      `${p.op}: ${p.done} / ${p.total} tasks · ${bytes(p.bytes)} read · ${secs(p.elapsed)} elapsed · ${state}`);
    const div = el("div", {class: "pass" + (p.ended ? " ended" : "") + (p.stopped ? " stopped" : ""),
      "data-id": p.id, "data-done": p.done, "data-total": p.total}, text, bar);
    return div;
  }));
}

// The task stream: one row per worker thread, a bar per task over the last minute (or
// since the first task, when that is sooner), running tasks up to now.
function drawStream(state) {
  const canvas = document.getElementById("stream");
  const ctx = canvas.getContext("2d");
  const cluster = (state.system && state.system.cluster) || [];
  const W = canvas.width, H = canvas.height, left = cluster.length ? 190 : 70, bottom = 20;
  ctx.clearRect(0, 0, W, H);
  const threads = cluster.length ? Math.max(...cluster.map(c => c.Index + c.Threads)) : (state.system ? state.system.threads : 0);
  const rows = Math.max(1, state.workers.length, threads);
  const t1 = state.now;
  const first = tasks.length ? tasks[0].s : t1;
  const t0 = Math.max(first, t1 - 60);
  const span = Math.max(1e-3, t1 - t0);
  const rowH = (H - bottom) / rows;
  const x = t => left + (W - left - 10) * (t - t0) / span;
  ctx.font = "11px sans-serif";
  ctx.fillStyle = "#555";
  for (let w = 0; w < rows; w++) ctx.fillText(threadName(w, state.system), 4, w * rowH + rowH / 2 + 4, left - 8);
  let drawn = 0;
  const bar = (t, end) => {
    if (end < t0 || t.w >= rows) return;
    ctx.fillStyle = colour(t.op);
    const x0 = x(Math.max(t.s, t0));
    ctx.fillRect(x0, t.w * rowH + 2, Math.max(1, x(end) - x0), rowH - 4);
    drawn++;
  };
  for (const t of tasks) bar(t, t.e);
  ctx.globalAlpha = 0.5;
  for (const t of state.running) bar(t, t1);
  ctx.globalAlpha = 1;
  ctx.fillStyle = "#555";
  ctx.fillText(`${secs(span)} shown, now at right`, left, H - 5);
  canvas.dataset.bars = drawn;
  document.getElementById("stream-info").textContent = `${tasks.length} tasks` + (state.skipped ? `, ${state.skipped} skipped` : "");
  document.getElementById("legend").replaceChildren(...[...colours].map(([op, c]) =>
    el("span", {}, el("i", {style: {background: c}}), op)));
}

function drawWorkers(state) {
  const sys = state.system || {};
  document.getElementById("process").textContent =
    `kernel process: CPU ${(sys.cpu || 0).toFixed(0)}% of one core, memory ${bytes(sys.process_memory || 0)}, ` +
    `${sys.workers} workers × ${sys.threads_per_worker} threads`;
  const body = document.querySelector("#workers tbody");
  body.replaceChildren(...state.workers.map(w => el("tr", {},
    el("td", {}, threadName(w.w, sys)), el("td", {}, String(w.tasks)), el("td", {}, w.rate.toFixed(1)),
    el("td", {}, el("span", {}, (100 * w.busy).toFixed(0) + "%"), el("span", {class: "meter"}, el("span", {style: {width: (100 * w.busy) + "%"}}))))));
  const cluster = sys.cluster || [];
  const table = document.getElementById("cluster");
  table.hidden = !cluster.length;
  table.tBodies[0].replaceChildren(...cluster.map(c => el("tr", {},
    el("td", {}, c.Name), el("td", {}, String(c.Threads)), el("td", {}, c.CPU.toFixed(0) + "%"),
    el("td", {}, bytes(c.MemoryUsed) + (c.MemoryLimit ? " / " + bytes(c.MemoryLimit) : "")))));
}

function drawMemory(state) {
  const s = state.system || {};
  const row = (name, value, frac) => el("tr", {}, el("th", {}, name), el("td", {}, value,
    ...(frac === undefined ? [] : [el("span", {class: "meter"}, el("span", {style: {width: Math.min(100, 100 * (frac || 0)) + "%"}}))])));
  document.querySelector("#memory tbody").replaceChildren(
    row("memory limit (session)", bytes(s.memory_limit)),
    row("kernel process", bytes(s.process_memory), s.process_memory / s.memory_limit),
    row("heap objects", bytes(s.heap), s.heap / s.memory_limit),
    row("chunk cache", `${bytes(s.cache_used)} of ${bytes(s.cache_limit)} in ${s.cache_entries} chunks`, s.cache_limit ? s.cache_used / s.cache_limit : 0));
  const arrays = s.arrays || [];
  document.querySelector("#arrays tbody").replaceChildren(...(arrays.length ? arrays.map(a => el("tr", {},
    el("td", {}, a.label), el("td", {}, "(" + a.shape.join(", ") + ")"), el("td", {}, a.dtype), el("td", {}, bytes(a.bytes))))
    : [el("tr", {}, el("td", {colspan: 4, class: "empty"}, "no computed arrays held"))]));
}

function onState(ev) {
  const state = JSON.parse(ev.data);
  events++;
  document.body.dataset.events = events;
  for (const t of state.tasks) tasks.push(t);
  if (tasks.length > keptTasks) tasks.splice(0, tasks.length - keptTasks);
  last = state;
  if (page === "status") { drawProgress(state.passes); drawStream(state); }
  else if (page === "workers") drawWorkers(state);
  else drawMemory(state);
}

function connect() {
  const status = document.getElementById("connection");
  const source = new EventSource("events");
  source.addEventListener("state", onState);
  source.onopen = () => { status.textContent = "live"; status.className = "up"; };
  source.onerror = () => { status.textContent = "reconnecting…"; status.className = "down"; };
}

connect();
