// My schedule: the master's own days for the next two weeks, from the phone's copy (the pull
// sends them whole as `my_days`), so it opens with no network too.
import * as db from "../db.js";
import { t } from "../i18n.js";
import { bottomBar, dayName, fill, h } from "../ui.js";

function hours(day) {
  return `${day.shift_start}–${day.shift_end}`;
}

function lunch(day) {
  if (!day.lunch_start) return t("no lunch");
  return t("lunch {minutes} min within {from}–{to}", { minutes: day.lunch_minutes, from: day.lunch_start, to: day.lunch_end });
}

function dayItem(day) {
  return h("li", { class: day.works ? "sched-day works" : "sched-day off", "data-testid": "my-day",
    "data-day": day.day, "data-works": day.works ? "yes" : "no", "data-absence": day.absence || "" },
    h("strong", { class: "sched-date" }, dayName(day.day)),
    day.works ?
      h("span", { class: "sched-hours" }, hours(day)) :
      h("span", { class: "sched-reason" }, day.absence_name || t("Day off")),
    day.works ? h("span", { class: "sched-lunch muted" }, lunch(day)) : null);
}

export async function schedule(view) {
  const days = await db.meta("my_days");
  const me = await db.meta("me");
  fill(view,
    h("div", { class: "day-head" },
      h("h1", {}, t("My schedule")),
      me ? h("span", { class: "muted" }, me.full_name) : null),
    days?.length ?
      h("ol", { class: "schedule", "data-testid": "schedule" }, days.map(dayItem)) :
      h("p", { class: "empty" }, days ? t("No days in the schedule yet") : t("Loading…")),
    bottomBar(
      h("a", { class: "tab", href: "#/" }, t("Visits")),
      h("a", { class: "tab active", href: "#/schedule", "data-testid": "open-schedule" }, t("My schedule")),
      h("a", { class: "tab", href: "#/sync", "data-testid": "open-sync" }, t("Sync"))),
  );
}
