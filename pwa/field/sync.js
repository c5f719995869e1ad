// The conversation with the server (server/sync/PROTOCOL.md): pull what changed, push the
// outbox in order, upload the files; again on start, on `online`, when the app comes back
// to the screen, on a timer with backoff, and when the service worker's Background Sync fires.
import * as db from "./db.js";
import * as outbox from "./outbox.js";

const BATCH = 200; // the protocol's limit per push
const FIRST_DELAY = 2000;
const MAX_DELAY = 5 * 60 * 1000;
const PERIOD = 60 * 1000; // a pull now and then while all is well
const TIMEOUT = 30 * 1000; // a request that hangs (a weak signal) counts as offline
const FILE_TIMEOUT = 120 * 1000;

export const LOGIN_NEEDED = "login-needed";

const listeners = new Set();
let running = null;
let again = false;
let delay = FIRST_DELAY;
let timer = null;

export function onChange(listener) {
  listeners.add(listener);
}

async function notify() {
  const state = await status();
  for (const listener of listeners) listener(state);
}

export async function status() {
  const me = await db.meta("me");
  const { waiting, problems } = await outbox.snapshot(me?.id ?? null);
  const lastError = await db.meta("lastError");
  return {
    // Online means the server answered last time, not only that the phone has a network.
    online: navigator.onLine && lastError?.kind !== "offline",
    waiting: waiting.length,
    problems,
    lastSync: await db.meta("lastSync"),
    lastError,
    running: Boolean(running),
    me,
    timezone: await db.meta("timezone"),
  };
}

function csrf() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

class Offline extends Error {}
class LoginNeeded extends Error {}
class Refused extends Error {}

async function call(url, { timeout = TIMEOUT, ...options } = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  let response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      signal: abort.signal,
      ...options,
      headers: { "X-CSRFToken": csrf(), ...(options.headers || {}) },
    });
  } catch (error) {
    throw new Offline(String(error.message || error));
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401) throw new LoginNeeded(LOGIN_NEEDED);
  // The server or the way to it is not well: nothing is known, try again later.
  if (response.status >= 500 || response.status === 403 || response.status === 429) {
    throw new Offline(`HTTP ${response.status}`);
  }
  return response;
}

async function detail(response) {
  const body = await response.json().catch(() => ({}));
  return body.detail || `HTTP ${response.status}`;
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(flush, ms);
}

// One sync round: pull, push, files. Never two at once; a call during a round asks for another.
export function flush() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    notify();
    try {
      do {
        again = false;
        const me = await pull();
        await push(me.id);
        // A file's answer carries no record: pull again to show it on the order's timeline.
        if (await upload(me.id)) await pull();
      } while (again);
      delay = FIRST_DELAY;
      await db.setMeta("lastSync", new Date().toISOString());
      await db.setMeta("lastError", null);
      schedule(PERIOD);
      return true;
    } catch (error) {
      const kind = error instanceof Offline ? "offline" : error instanceof LoginNeeded ? LOGIN_NEEDED
        : error instanceof Refused ? "refused" : "error";
      if (kind === "error") console.error(error);
      await db.setMeta("lastError", { kind, message: String(error.message || error) });
      schedule(delay * (0.75 + Math.random() / 2));
      delay = Math.min(delay * 2, MAX_DELAY);
      return false;
    } finally {
      running = null;
      notify();
    }
  })();
  return running;
}

// What changed for this master since the cursor; returns who the session belongs to.
async function pull() {
  const cursor = await db.meta("cursor");
  const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  const response = await call(`/api/v1/sync/pull${query}`);
  if (!response.ok) {
    await db.setMeta("cursor", null); // start over next time
    throw new Refused(await detail(response));
  }
  const data = await response.json();
  const names = [...db.RECORDS, "meta", "outbox"];
  await db.write(names, async (s) => {
    if (cursor && !data.reset) await noteDayChanges(s, data);
    if (data.reset) for (const name of db.RECORDS) s[name].clear();
    for (const name of ["visits", "orders", "price_items", "statuses"]) {
      for (const row of data[name] || []) s[name].put(row);
    }
    for (const client of data.clients || []) {
      s.clients.put(client);
      for (const device of client.devices || []) s.devices.put({ ...device, client_id: client.id });
    }
    if (Array.isArray(data.visit_ids)) {
      const inSet = new Set(data.visit_ids);
      for (const id of await db.done(s.visits.getAllKeys())) if (!inSet.has(id)) s.visits.delete(id);
    }
    for (const id of data.removed?.price_items || []) s.price_items.delete(id);
    await collectGarbage(s);
    for (const key of ["me", "timezone", "today", "cursor"]) s.meta.put({ key, value: data[key] });
    // The master's own fortnight comes whole with every pull (PROTOCOL.md: my_days).
    if (Array.isArray(data.my_days)) s.meta.put({ key: "my_days", value: data.my_days });
    // What the master's van holds comes whole too (PROTOCOL.md: Van); rebase takes the
    // pending parts from it again.
    s.meta.put({ key: "van", value: data.van ?? null });
    s.meta.put({ key: "serverOffset", value: Date.parse(data.server_time) - Date.now() });
    await outbox.rebase(s, data.me.id);
  });
  return data.me;
}

// What the dispatcher changed in the master's plan (the master changes statuses, never the
// plan): new visits, visits taken off, visits given another day, time or place in the day.
// Kept in meta "dayChanged" until the master has seen it on Today.
const PLAN_FIELDS = ["day", "sequence", "planned_start", "window_start", "window_end", "master_id"];

async function noteDayChanges(s, data) {
  const before = new Map((await db.done(s.visits.getAll())).map((v) => [v.id, v]));
  let added = 0, moved = 0, removed = 0;
  for (const visit of data.visits || []) {
    const old = before.get(visit.id);
    if (!old) added += 1;
    else if (PLAN_FIELDS.some((f) => (old[f] ?? null) !== (visit[f] ?? null))) moved += 1;
  }
  if (Array.isArray(data.visit_ids)) {
    const inSet = new Set(data.visit_ids);
    for (const id of before.keys()) if (!inSet.has(id)) removed += 1;
  }
  if (!added && !moved && !removed) return;
  const seen = (await db.done(s.meta.get("dayChanged")))?.value || { added: 0, moved: 0, removed: 0 };
  s.meta.put({ key: "dayChanged", value: {
    added: seen.added + added, moved: seen.moved + moved, removed: seen.removed + removed,
    at: new Date().toISOString() } });
}

// Orders, clients and devices no visit on the phone refers to any more leave it.
async function collectGarbage(s) {
  const visits = await db.done(s.visits.getAll());
  const orderIds = new Set(visits.map((v) => v.order_id));
  const clientIds = new Set();
  for (const order of await db.done(s.orders.getAll())) {
    if (orderIds.has(order.id)) clientIds.add(order.client?.id);
    else s.orders.delete(order.id);
  }
  for (const id of await db.done(s.clients.getAllKeys())) if (!clientIds.has(id)) s.clients.delete(id);
  for (const device of await db.done(s.devices.getAll())) {
    if (!clientIds.has(device.client_id)) s.devices.delete(device.id);
  }
}

// The outbox in the order it was made, in batches; each answer settles its mutations.
async function push(employeeId) {
  for (;;) {
    const rows = (await db.all("outbox"))
      .filter((m) => m.state === "pending" && outbox.mine(m, employeeId)).slice(0, BATCH);
    if (!rows.length) return;
    const response = await call("/api/v1/sync/push", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mutations: rows.map(outbox.wire) }),
    });
    // A refused batch: nothing in it is known; the same ids go again later.
    if (!response.ok) throw new Refused(await detail(response));
    const { results } = await response.json();
    const answers = new Map((results || []).map((r) => [r.id, r]));
    let settled = 0;
    await db.write(["outbox", "orders", "visits"], async (s) => {
      for (const mutation of rows) {
        const result = answers.get(mutation.id);
        if (!result) continue;
        outbox.settle(s, mutation, result);
        settled += 1;
      }
      for (const result of results || []) {
        if (result.order) s.orders.put(result.order);
        if (result.visit) s.visits.put(result.visit);
      }
      await outbox.rebase(s, employeeId);
    });
    notify();
    if (settled < rows.length) throw new Refused("incomplete answer");
  }
}

// Photos and signatures, one request each, in the order they were taken; returns how many
// the server took.
async function upload(employeeId) {
  let taken = 0;
  const files = (await db.all("files"))
    .filter((f) => f.state === "pending" && outbox.mine(f, employeeId))
    .sort((a, b) => a.at.localeCompare(b.at));
  for (const file of files) {
    const params = new URLSearchParams({ order_id: file.order_id, kind: file.kind });
    if (file.caption) params.set("caption", file.caption);
    if (file.signer) params.set("signer", file.signer);
    const response = await call(`/api/v1/sync/files/${file.id}?${params}`, {
      method: "PUT",
      timeout: FILE_TIMEOUT,
      headers: { "Content-Type": file.blob.type || "application/octet-stream" },
      body: file.blob,
    });
    if (response.ok) {
      await db.remove("files", file.id);
      taken += 1;
    } else {
      await db.put("files", { ...file, state: "rejected", reason: await detail(response) });
    }
    notify();
  }
  return taken;
}

// Another change was queued or dropped: show it and try to send it.
export function wake() {
  notify();
  registerBackgroundSync();
  flush();
}

async function registerBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register("servio-outbox");
  } catch {
    // Background Sync is a bonus (Chromium only): the timer and `online` do the same job.
  }
}

export function start() {
  outbox.onChange(wake);
  window.addEventListener("online", () => flush());
  window.addEventListener("offline", () => notify());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  // The service worker's Background Sync asks the open page to send; it answers when done.
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type !== "FLUSH") return;
    flush().then(async (ok) => {
      const state = await status();
      event.ports[0]?.postMessage({ ok: ok && state.waiting === 0 });
    });
  });
  notify();
  return flush();
}
