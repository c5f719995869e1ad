// Live timeline of an order: every few seconds asks the server for the events newer than the
// last seen cursor and puts them on top (the feed runs newest first). The server renders them
// with the same template as the card, so names, dates and the lock controls look the same;
// works across server processes (plain polling).

const POLL_MS = 5000;

async function poll(list) {
  try {
    const url = `${list.dataset.url}?after=${encodeURIComponent(list.dataset.cursor)}`;
    const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (response.ok) {
      const cursor = response.headers.get("X-Timeline-Cursor");
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const fresh = [...template.content.querySelectorAll("li.event")].filter(
        (item) => !list.querySelector(`[data-event="${CSS.escape(item.dataset.event)}"]`),
      );
      for (const item of fresh) item.classList.add("fresh");
      list.prepend(...fresh);
      if (cursor) list.dataset.cursor = cursor;
    }
  } catch {
    // Offline or server restarting: try again at the next tick.
  }
  setTimeout(() => poll(list), POLL_MS);
}

for (const list of document.querySelectorAll("[data-timeline]")) {
  setTimeout(() => poll(list), POLL_MS);
}
