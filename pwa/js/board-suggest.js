// «Предложить»: the best few places for one waiting order on a day (master, time, extra
// driving) from /api/v1/dispatch/suggestions; one tap on an option books it. Used by the board
// and by the order card (data-suggest-block).

import { ApiError, get, post } from "./board-api.js";
import { t } from "./board-i18n.js";
import { el } from "./board-dialog.js";
import { clockOf } from "./board-time.js";

export async function loadOptions(orderId, day) {
  return get(`/api/v1/dispatch/suggestions?order_id=${orderId}&day=${day}`);
}

export function book(orderId, day, option) {
  return post("/api/v1/visits", {
    order_id: orderId, day, master_id: option.master_id, planned_start: option.planned_start,
    window_start: option.window_start || null, window_end: option.window_end || null,
  });
}

// Fills `box` with the options; resolves after a booking with {visit, option}, or null.
export function renderOptions(box, answer, { orderId, day, zone, onBooked }) {
  const list = el("ul", { class: "suggestions", "data-testid": "suggestions" });
  const status = el("p", { class: "hint", role: "status" });
  if (!answer.items.length) {
    list.append(el("li", { class: "muted", text: answer.reason || t("No place for it on this day") }));
  }
  for (const option of answer.items) {
    const button = el("button", { type: "button", class: "suggestion", "data-testid": "suggestion", "data-master": option.master_id },
      el("b", { text: `${clockOf(option.planned_start, zone)} · ${option.full_name}` }),
      el("span", { text: t("Window {from}–{to}", { from: option.window_start, to: option.window_end }) }),
      el("span", { text: t("+{km} km · +{minutes} min", { km: option.extra_km.toFixed(1), minutes: option.extra_minutes }) }),
      option.late_minutes > 0 ? el("span", { class: "late", text: t("{minutes} min late", { minutes: option.late_minutes }) }) : null);
    button.addEventListener("click", async () => {
      for (const b of list.querySelectorAll("button")) b.disabled = true;
      status.textContent = t("Saving…");
      try {
        const visit = await book(orderId, day, option);
        status.textContent = t("Booked: {name} at {time}", { name: option.full_name, time: clockOf(option.planned_start, zone) });
        onBooked({ visit, option });
      } catch (error) {
        status.textContent = t("Not saved: {error}", { error: error instanceof ApiError ? error.text : String(error) });
        for (const b of list.querySelectorAll("button")) b.disabled = false;
      }
    });
    list.append(el("li", {}, button));
  }
  box.replaceChildren(list, status);
}

// The order card's block: a day and a button; the options appear under it.
function mountCardBlock(block) {
  const orderId = Number(block.dataset.suggestBlock);
  const zone = block.dataset.zone;
  const dayInput = block.querySelector("input[type=date]");
  const button = block.querySelector("[data-testid=suggest-visit]");
  const out = block.querySelector("[data-suggest-options]");
  if (!dayInput.value) dayInput.value = new Intl.DateTimeFormat("en-CA", { timeZone: zone || undefined }).format(new Date());
  button.addEventListener("click", async () => {
    out.replaceChildren(el("p", { class: "hint", text: t("Loading…") }));
    const day = dayInput.value;
    try {
      const answer = await loadOptions(orderId, day);
      renderOptions(out, answer, {
        orderId, day, zone,
        onBooked: () => setTimeout(() => window.location.reload(), 800),
      });
    } catch (error) {
      out.replaceChildren(el("p", { class: "error", text: error instanceof ApiError ? error.text : String(error) }));
    }
  });
  button.disabled = false;
}

for (const block of document.querySelectorAll("[data-suggest-block]")) mountCardBlock(block);
