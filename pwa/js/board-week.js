// The week at a glance: masters × seven days, shifts or absences and the load of each day;
// a tap opens that day's board.

import { get } from "./board-api.js";
import { t, tn } from "./board-i18n.js";
import { el } from "./board-dialog.js";
import { addDays, shortDate } from "./board-time.js";

export function mondayOf(day) {
  const [y, m, d] = day.split("-").map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

export async function renderWeek(box, { start, day, today, language }) {
  box.replaceChildren(el("p", { class: "hint", text: t("Loading…") }));
  const week = await get(`/api/v1/dispatch/week?start=${start}`);
  const days = [...Array(7).keys()].map((i) => addDays(week.start, i));
  const head = el("tr", {}, el("th", {}), days.map((d) => el("th", { class: `${d === today ? "today" : ""}${d === day ? " chosen" : ""}`, text: shortDate(d, language) })));
  const rows = week.masters.map((m) => {
    const row = el("tr", { "data-testid": "week-master" }, el("th", { class: "who" }, el("span", { class: "swatch" }), m.full_name));
    row.style.setProperty("--lane", m.color);
    for (const d of m.days) {
      const load = Math.min(1, d.hours / 8);
      const cell = el("a", { href: `/dispatch?day=${d.day}`, class: `week-cell${d.works ? "" : " off"}`, "data-testid": "week-day", "data-day": d.day },
        el("span", { class: "shift", text: d.works ? `${d.shift_start}–${d.shift_end}` : (d.absence || t("Day off")) }),
        d.visits ? el("span", { class: "load-text", text: `${tn("{n} visit", "{n} visits", d.visits)} · ${t("{hours} h", { hours: d.hours })}` }) : null,
        el("span", { class: "load" }));
      cell.style.setProperty("--load", String(load));
      row.append(el("td", { class: d.day === today ? "today" : "" }, cell));
    }
    return row;
  });
  const unassigned = Object.entries(week.unassigned || {});
  const nav = el("div", { class: "toolbar" },
    el("button", { type: "button", class: "btn", "data-testid": "prev-week", text: t("← Week"), onclick: () => renderWeek(box, { start: addDays(start, -7), day, today, language }) }),
    el("button", { type: "button", class: "btn", "data-testid": "next-week", text: t("Week →"), onclick: () => renderWeek(box, { start: addDays(start, 7), day, today, language }) }));
  box.replaceChildren(nav, el("div", { class: "week-scroll" }, el("table", { class: "week-grid", "data-testid": "week" }, el("thead", {}, head), el("tbody", {}, rows))),
    ...(unassigned.length ? [el("p", { class: "hint", text: `${t("Without a master")}: ${unassigned.map(([d, n]) => `${shortDate(d, language)} — ${n}`).join(", ")}` })] : []));
}
