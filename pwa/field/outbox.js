// The outbox: every change made on the phone, kept in IndexedDB until the server has answered.
//
// A change is written to the outbox and to the local copy in one transaction, so the screen
// shows it at once. When the server's records come back (pull or push), the changes still
// waiting are applied again on top of them: what the master sees is always the server's
// state plus their own pending work.
import * as db from "./db.js";

const listeners = new Set();

// Called after every change queued or dropped (the sync module listens and sends).
export function onChange(listener) {
  listeners.add(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function patch(store, id, update) {
  const row = await db.done(store.get(id));
  if (row) store.put(update(row));
}

function money(value) {
  return Number(value || 0);
}

// What each kind of change does to the local copy until the server's answer replaces it.
const LOCAL = {
  "timeclock.check": (s, m) => s.meta && patch(s.meta, "me", (row) => ({
    ...row, value: { ...row.value, clock: { checked_in: m.change.kind === "in", since: m.at } },
  })),
  "visit.status": (s, m) => patch(s.visits, m.entity_id, (v) => ({
    ...v, status: m.change.status, status_at: m.at, fail_reason: m.change.reason || "",
  })),
  "order.status": (s, m) => patch(s.orders, m.entity_id, (o) => ({
    ...o, status: { ...o.status, code: m.change.status, ...(m.note?.status || {}) }, next_statuses: [],
  })),
  "order.fields": (s, m) => patch(s.orders, m.entity_id, (o) => ({ ...o, ...m.change })),
  "order.line": (s, m) => patch(s.orders, m.entity_id, (o) => {
    const price = m.note?.price || "0";
    const total = (money(price) * money(m.change.quantity)).toFixed(2);
    const line = { id: m.id, kind: m.note?.kind, name: m.note?.name || "", quantity: m.change.quantity,
      unit_price: price, total, pending: true };
    return { ...o, lines: [...(o.lines || []).filter((l) => l.id !== m.id), line] };
  }).then(() => takeFromVan(s, m)),
  "order.payment": (s, m) => patch(s.orders, m.entity_id, (o) => ({
    ...o,
    paid: (money(o.paid) + money(m.change.amount)).toFixed(2),
    amount_due: Math.max(0, money(o.amount_due) - money(m.change.amount)).toFixed(2),
  })),
  "order.comment": async () => {},
};

// Apply every pending change of `employeeId` again on top of the records in `s`
// (a transaction over outbox, orders and visits), in the order they were made.
export async function rebase(s, employeeId) {
  const rows = await db.done(s.outbox.getAll());
  for (const m of rows) {
    if (m.state === "pending" && mine(m, employeeId)) await LOCAL[m.kind]?.(s, m);
  }
}

// A part taken from the master's van leaves the phone's copy of the van at once (the server's
// copy comes whole with every pull; pending changes are taken from it again by rebase).
async function takeFromVan(s, m) {
  if (!m.change.warehouse_id) return;
  const van = (await db.done(s.meta.get("van")))?.value;
  if (!van || van.warehouse_id !== m.change.warehouse_id) return;
  const used = new Set(m.change.serials || []);
  const items = van.items.map((item) => (item.price_item_id === m.change.price_item_id
    ? { ...item, available: String(Math.max(0, Number(item.available) - Number(m.change.quantity))),
      serials: (item.serials || []).filter((serial) => !used.has(serial)) }
    : item));
  s.meta.put({ key: "van", value: { ...van, items } });
}

// A change belongs to the employee who made it; older rows without one are anybody's.
export function mine(row, employeeId) {
  return row.employee_id == null || employeeId == null || row.employee_id === employeeId;
}

// Queue a change and show it locally, in one transaction. `note` is for the phone only
// (names and numbers to show while it waits); it is never sent.
// `replaces`: the outbox row this one takes the place of (dropped in the same transaction).
export async function enqueue(kind, entityId, change,
  { base = {}, baseVersion = null, note = {}, at, replaces } = {}) {
  const me = await db.meta("me");
  const mutation = {
    id: uuid(), kind, entity_id: entityId, change, base, base_version: baseVersion,
    at: at || new Date().toISOString(), state: "pending", employee_id: me?.id ?? null, note,
  };
  await db.write(["outbox", "orders", "visits", "meta"], async (s) => {
    if (replaces != null) s.outbox.delete(replaces);
    s.outbox.add(mutation);
    await LOCAL[kind]?.(s, mutation);
  });
  changed();
  return mutation;
}

// Keep a photo or signature until the server confirms it.
export async function enqueueFile(orderId, kind, blob, { caption = "", signer = "", note = {} } = {}) {
  const me = await db.meta("me");
  const file = {
    id: uuid(), order_id: orderId, kind, blob, caption, signer, state: "pending",
    at: new Date().toISOString(), employee_id: me?.id ?? null, note,
  };
  await db.put("files", file);
  changed();
  return file;
}

// The body the server gets: the protocol's fields only.
export function wire({ id, kind, entity_id, change, base, base_version, at }) {
  return { id, kind, entity_id, change, base, base_version, at };
}

// Record the server's answer to one mutation inside a transaction over the outbox.
export function settle(s, mutation, result) {
  const outcome = result.result === "duplicate" ? result.first_result : result.result;
  if (outcome === "applied") {
    s.outbox.delete(mutation.seq);
    return;
  }
  s.outbox.put({
    ...mutation, state: outcome === "conflict" ? "conflict" : "rejected",
    reason: result.reason || "", field: result.field || null, conflicts: result.conflicts || null,
    server_version: result.order?.version ?? result.visit?.version ?? null,
  });
}

// Everything waiting or refused, for the indicator and the problems list.
export async function snapshot(employeeId) {
  const rows = await db.all("outbox");
  const files = (await db.all("files")).sort((a, b) => a.at.localeCompare(b.at));
  const items = rows.concat(files);
  const held = (x) => x.state === "pending" && !mine(x, employeeId);
  return {
    waiting: items.filter((x) => x.state === "pending" && mine(x, employeeId)),
    problems: items.filter((x) => x.state !== "pending" || held(x))
      .map((x) => (held(x) ? { ...x, state: "held" } : x)),
  };
}

// The master gives up a change, knowingly.
export async function discard(item) {
  if (item.blob) await db.remove("files", item.id);
  else await db.remove("outbox", item.seq);
  changed();
}

// The master insists: the same change as a new mutation, based on what the server has now.
export async function insist(item) {
  if (item.blob) {
    await db.write(["files"], async (s) => {
      s.files.delete(item.id);
      s.files.put({ ...item, id: uuid(), state: "pending", reason: "" });
    });
    changed();
    return;
  }
  const base = { ...item.base };
  for (const [name, c] of Object.entries(item.conflicts || {})) base[name] = c.server;
  await enqueue(item.kind, item.entity_id, item.change, {
    base, baseVersion: item.server_version ?? item.base_version, note: item.note, replaces: item.seq,
  });
}

// Pending changes and files of one order (and its visit), for the order's timeline.
export async function forOrder(orderId, visitId) {
  const rows = (await db.all("outbox")).filter((m) =>
    (m.kind === "visit.status" ? m.entity_id === visitId : m.entity_id === orderId));
  const files = (await db.all("files")).filter((f) => f.order_id === orderId);
  return rows.concat(files).sort((a, b) => b.at.localeCompare(a.at));
}
