// The phone's copy of the working set and its outbox, in IndexedDB.
const NAME = "servio-field";
const VERSION = 2;
const STORES = {
  visits: { keyPath: "id" },
  orders: { keyPath: "id" },
  clients: { keyPath: "id" },
  devices: { keyPath: "id" },
  price_items: { keyPath: "id" },
  statuses: { keyPath: "code" },
  meta: { keyPath: "key" },
  outbox: { keyPath: "seq", autoIncrement: true },
  files: { keyPath: "id" },
};
// The server's records: replaced by a reset pull. The outbox and files are never cleared.
export const RECORDS = ["visits", "orders", "clients", "devices", "price_items", "statuses"];

let opened = null;

export function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        for (const [name, options] of Object.entries(STORES)) {
          if (!request.result.objectStoreNames.contains(name)) {
            request.result.createObjectStore(name, options);
          }
        }
      };
      request.onsuccess = () => {
        // Another tab opened a newer version: let it, this page reloads into the new code.
        request.result.onversionchange = () => request.result.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    });
  }
  return opened;
}

export function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Run `work(stores)` in one read-write transaction over `names`; resolves when it commits.
// `work` may await requests of this transaction, nothing else (the transaction would end).
export async function write(names, work) {
  const db = await open();
  const tx = db.transaction(names, "readwrite");
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
  let result;
  try {
    result = await work(stores);
  } catch (error) {
    committed.catch(() => {});
    try { tx.abort(); } catch { /* already finished */ }
    throw error;
  }
  await committed;
  return result;
}

export async function all(name) {
  const db = await open();
  return done(db.transaction(name).objectStore(name).getAll());
}

export async function get(name, key) {
  const db = await open();
  return done(db.transaction(name).objectStore(name).get(key));
}

export async function put(name, value) {
  return write([name], (s) => done(s[name].put(value)));
}

export async function remove(name, key) {
  return write([name], (s) => done(s[name].delete(key)));
}

export async function meta(key, fallback = null) {
  const row = await get("meta", key);
  return row ? row.value : fallback;
}

export async function setMeta(key, value) {
  return put("meta", { key, value });
}
