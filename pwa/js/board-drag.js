// Drag and drop with Pointer Events (mouse, pen and touch alike): an order from the queue or a
// visit block onto a lane at a time, snapped to 15 minutes. Touch starts on a handle or a
// block (they have touch-action: none), so swiping the queue still scrolls it.

import { SNAP } from "./board-lanes.js";
import { hhmm } from "./board-time.js";

const THRESHOLD = 6;

export function trackAt(x, y) {
  const under = document.elementFromPoint(x, y);
  return under ? under.closest(".lane-track[data-master]") : null;
}

export function minuteAt(track, x, grab = 0) {
  const from = Number(track.dataset.from);
  const ppm = Number(track.dataset.ppm);
  const raw = from + (x - grab - track.getBoundingClientRect().left) / ppm;
  return Math.max(0, Math.min(24 * 60 - SNAP, Math.round(raw / SNAP) * SNAP));
}

// describe(item) -> {kind, id, duration} or null; onDrop(what, {masterId, minutes})
export function setupDrag(root, { describe, onDrop }) {
  let drag = null;
  let suppressClick = false;

  function clear() {
    if (!drag) return;
    drag.ghost?.remove();
    drag.preview?.remove();
    drag.item.classList.remove("dragging");
    document.body.classList.remove("board-dragging");
    drag = null;
  }

  function show(event) {
    drag.ghost.style.transform = `translate(${event.clientX - drag.grab}px, ${event.clientY - 18}px)`;
    const track = trackAt(event.clientX, event.clientY);
    if (!track) {
      drag.preview?.remove();
      drag.target = null;
      return;
    }
    const minutes = minuteAt(track, event.clientX, drag.grab);
    const ppm = Number(track.dataset.ppm);
    if (!drag.preview) drag.preview = document.createElement("div");
    drag.preview.className = "drop-preview";
    drag.preview.textContent = hhmm(minutes);
    drag.preview.style.left = `${(minutes - Number(track.dataset.from)) * ppm}px`;
    drag.preview.style.width = `${drag.what.duration * ppm}px`;
    if (drag.preview.parentElement !== track) track.append(drag.preview);
    drag.target = { masterId: Number(track.dataset.master), minutes };
    const scroller = track.closest(".lanes-scroll");
    if (scroller) {
      const box = scroller.getBoundingClientRect();
      if (event.clientX > box.right - 40) scroller.scrollLeft += 12;
      else if (event.clientX < box.left + 150) scroller.scrollLeft -= 12;
    }
  }

  root.addEventListener("pointerdown", (event) => {
    const item = event.target.closest("[data-drag]");
    if (!item || (event.pointerType === "mouse" && event.button !== 0)) return;
    if (event.target.closest("button, a, input, select, label") && !event.target.closest("[data-drag-handle]")) return;
    if (event.pointerType !== "mouse" && !event.target.closest("[data-drag-handle], .block")) return;
    const what = describe(item);
    if (!what) return;
    const box = item.getBoundingClientRect();
    const grab = item.classList.contains("block") ? Math.min(event.clientX - box.left, 30) : 0;
    drag = { item, what, pointer: event.pointerId, x: event.clientX, y: event.clientY, grab, started: false };
  });

  window.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    if (!drag.started) {
      if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < THRESHOLD) return;
      drag.started = true;
      drag.ghost = document.createElement("div");
      drag.ghost.className = "drag-ghost";
      drag.ghost.textContent = drag.what.label || "";
      document.body.append(drag.ghost);
      drag.item.classList.add("dragging");
      document.body.classList.add("board-dragging");
    }
    event.preventDefault();
    show(event);
  }, { passive: false });

  window.addEventListener("pointerup", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const { started, target, what } = drag;
    clear();
    if (!started) return;
    suppressClick = true;
    setTimeout(() => { suppressClick = false; }, 0);
    if (target) onDrop(what, target);
  });

  window.addEventListener("pointercancel", clear);
  window.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clear();
  });
  root.addEventListener("click", (event) => {
    if (suppressClick) {
      event.preventDefault();
      event.stopPropagation();
      suppressClick = false;
    }
  }, true);
}
