// The outbox and the conversation with the server (server/sync/PROTOCOL.md).
import * as db from "./db.js";

const BATCH = 100;
const MAX_DELAY = 5 * 60 * 1000;
const listeners = new Set();
let running = null;
let again = false;
const FIRST_DELAY = 2000;
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
  const outbox = await db.all("outbox");
  const files = await db.all("files");
  const waiting = outbox.filter((m) => m.state === "pending").length +
    files.filter((f) => f.state === "pending").length;
  const problems = outbox.filter((m) => m.state !== "pending")
    .concat(files.filter((f) => f.state !== "pending"));
  return {
    online: navigator.onLine,
    waiting,
    problems,
    lastSync: await db.meta("lastSync"),
    lastError: await db.meta("lastError"),
  };
}

function csrf() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

class Offline extends Error {}
class LoginNeeded extends Error {}

export const LOGIN_NEEDED = "login-needed";

async function call(url, options = {}) {
  let response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      ...options,
      headers: { "X-CSRFToken": csrf(), ...(options.headers || {}) },
    });
  } catch (error) {
    throw new Offline(String(error));
  }
  if (response.status === 401) throw new LoginNeeded();
  if (response.status >= 500 || response.status === 403) {
    throw new Offline(`HTTP ${response.status}`);
  }
  return response;
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Queue a mutation and apply it to the local copy in the same transaction.
export async function enqueue(kind, entityId, change, { base = {}, baseVersion = null, local } = {}) {
  const mutation = {
    id: uuid(), kind, entity_id: entityId, change, base, base_version: baseVersion,
    at: new Date().toISOString(), state: "pending",
  };
  await db.write(["outbox", "orders", "visits"], async (s) => {
    s.outbox.add(mutation);
    if (local) await local(s);
  });
  wake();
  return mutation;
}

export async function enqueueFile(orderId, kind, blob, { caption = "", signer = "" } = {}) {
  const file = { id: uuid(), order_id: orderId, kind, blob, caption, signer, state: "pending",
    at: new Date().toISOString() };
  await db.put("files", file);
  wake();
  return file;
}

export async function discard(problem) {
  if (problem.blob) await db.remove("files", problem.id);
  else await db.remove("outbox", problem.seq);
  notify();
}

// Send the change again, now based on the server's values: the master insists.
export async function insist(problem) {
  const base = {};
  for (const [name, c] of Object.entries(problem.conflicts || {})) base[name] = c.server;
  await db.remove("outbox", problem.seq);
  await enqueue(problem.kind, problem.entity_id, problem.change, { base: { ...problem.base, ...base } });
}

async function registerBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register("servio-outbox");
  } catch (error) {
    // Background Sync is a bonus: the timer and the online event do the same job.
  }
}

export function wake() {
  notify();
  registerBackgroundSync();
  flush();
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(flush, ms);
}

// One sync round: mutations, files, then what changed on the server. Never two at once.
export function flush() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await pushOutbox();
        await uploadFiles();
        await pull();
      } while (again);
      delay = FIRST_DELAY;
      await db.setMeta("lastSync", new Date().toISOString());
      await db.setMeta("lastError", null);
      schedule(60000);
    } catch (error) {
      if (!(error instanceof Offline) && !(error instanceof LoginNeeded)) console.error(error);
      const message = error instanceof LoginNeeded ? LOGIN_NEEDED : String(error.message || error);
      await db.setMeta("lastError", message);
      schedule(delay);
      delay = Math.min(delay * 2, MAX_DELAY);
    } finally {
      running = null;
      notify();
    }
  })();
  return running;
}

async function pushOutbox() {
  for (;;) {
    const pending = (await db.all("outbox")).filter((m) => m.state === "pending").slice(0, BATCH);
    if (!pending.length) return;
    const mutations = pending.map(({ id, kind, entity_id, change, base, base_version, at }) =>
      ({ id, kind, entity_id, change, base, base_version, at }));
    const response = await call("/api/v1/sync/push", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mutations }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.detail || `HTTP ${response.status}`);
    }
    const { results } = await response.json();
    await db.write(["outbox", "orders", "visits"], async (s) => {
      results.forEach((result, i) => {
        const mutation = pending[i];
        const outcome = result.result === "duplicate" ? result.first_result : result.result;
        if (outcome === "applied") s.outbox.delete(mutation.seq);
        else s.outbox.put({ ...mutation, state: outcome || "rejected", reason: result.reason,
          conflicts: result.conflicts || null });
        if (result.order) s.orders.put(result.order);
        if (result.visit) s.visits.put(result.visit);
      });
    });
    notify();
  }
}

async function uploadFiles() {
  const files = (await db.all("files")).filter((f) => f.state === "pending")
    .sort((a, b) => a.at.localeCompare(b.at));  // in the order they were captured
  for (const file of files) {
    const params = new URLSearchParams({ order_id: file.order_id, kind: file.kind,
      caption: file.caption, signer: file.signer });
    const response = await call(`/api/v1/sync/files/${file.id}?${params}`, {
      method: "PUT",
      headers: { "Content-Type": file.blob.type || "application/octet-stream" },
      body: file.blob,
    });
    if (response.ok) {
      await db.remove("files", file.id);
    } else {
      const body = await response.json().catch(() => ({}));
      await db.put("files", { ...file, state: "rejected", reason: body.detail || `HTTP ${response.status}` });
    }
    notify();
  }
}

async function pull() {
  const cursor = await db.meta("cursor");
  const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  const response = await call(`/api/v1/sync/pull${query}`);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data = await response.json();
  const names = ["visits", "orders", "clients", "price_items", "statuses", "meta"];
  await db.write(names, async (s) => {
    if (data.reset) for (const name of names.slice(0, 5)) s[name].clear();
    for (const name of names.slice(0, 5)) for (const row of data[name] || []) s[name].put(row);
    for (const id of data.removed?.visits || []) s.visits.delete(id);
    for (const id of data.removed?.price_items || []) s.price_items.delete(id);
    s.meta.put({ key: "me", value: data.me });
    s.meta.put({ key: "timezone", value: data.timezone });
    s.meta.put({ key: "cursor", value: data.cursor });
  });
  await collectGarbage();
}

// Orders and clients no visit refers to any more leave the phone.
async function collectGarbage() {
  const visits = await db.all("visits");
  const orders = new Set(visits.map((v) => v.order_id));
  const kept = (await db.all("orders")).filter((o) => orders.has(o.id));
  const clients = new Set(kept.map((o) => o.client?.id));
  await db.write(["orders", "clients"], async (s) => {
    for (const o of await db.done(s.orders.getAllKeys())) if (!orders.has(o)) s.orders.delete(o);
    for (const c of await db.done(s.clients.getAllKeys())) if (!clients.has(c)) s.clients.delete(c);
  });
}

export function start() {
  window.addEventListener("online", () => flush());
  window.addEventListener("offline", () => notify());
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data === "FLUSH") flush();
  });
  notify();
  return flush();
}
