// An order's SLA clock on the board: its state (on track, at risk, breached, paused) as a
// coloured chip with the business time left, or how late it is.

import { t } from "./board-i18n.js";
import { el } from "./board-dialog.js";

export function duration(minutes) {
  const m = Math.abs(minutes);
  if (m < 60) return t("{minutes} min", { minutes: m });
  return t("{hours} h {minutes} min", { hours: Math.floor(m / 60), minutes: m % 60 });
}

export function slaText(sla) {
  if (sla.left_minutes < 0) return t("{time} late", { time: duration(sla.left_minutes) });
  return t("{time} left", { time: duration(sla.left_minutes) });
}

// The chip; `compact` (inside a visit block) shows the time only, the state in its colour.
export function slaChip(sla, compact = false) {
  if (!sla) return null;
  const text = slaText(sla);
  const chip = el("span", {
    class: `sla-chip sla-${sla.state}`, "data-testid": "sla", "data-state": sla.state,
    title: t("{clock}: {state}, {time} (business time)", { clock: sla.clock_label, state: sla.label, time: text }),
    text: compact ? text : `${sla.label} · ${text}`,
  });
  chip.style.setProperty("--sla", sla.color);
  return chip;
}
