// Live timeline of an order: asks the server for events newer than the last seen cursor
// every few seconds and appends them. Works across server processes (plain polling).

const POLL_MS = 5000;

function eventItem(event) {
  const item = document.createElement("li");
  item.className = `event event-${event.kind} fresh`;
  const meta = document.createElement("div");
  meta.className = "meta";
  const when = new Date(event.at).toLocaleString();
  meta.textContent = `${when} · ${event.author || "—"} · ${event.kind}`;
  item.append(meta);
  const lines = event.text ? [event.text] : [];
  for (const [name, change] of Object.entries(event.changes || {})) {
    lines.push(`${name}: ${change[0] ?? "—"} → ${change[1] ?? "—"}`);
  }
  for (const line of lines) {
    const text = document.createElement("div");
    text.className = "text";
    text.textContent = line;
    item.append(text);
  }
  return item;
}

async function poll(list) {
  try {
    const url = `${list.dataset.url}?after=${encodeURIComponent(list.dataset.cursor)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok) {
      const feed = await response.json();
      for (const event of feed.items) list.append(eventItem(event));
      list.dataset.cursor = feed.cursor;
    }
  } catch {
    // Offline or server restarting: try again at the next tick.
  }
  setTimeout(() => poll(list), POLL_MS);
}

for (const list of document.querySelectorAll("[data-timeline]")) {
  setTimeout(() => poll(list), POLL_MS);
}
