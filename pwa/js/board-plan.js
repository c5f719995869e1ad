// «Спланировать день»: the solve runs in a background job; the board polls its progress, shows
// who else is planning (wait or take over), and the proposal as a difference that the
// dispatcher accepts whole or per master. Nothing is saved before an accept.

import { ApiError, get, post } from "./board-api.js";
import { changeName, t } from "./board-i18n.js";
import { el, toast } from "./board-dialog.js";
import { clockOf } from "./board-time.js";

const POLL_MS = 1000;
const RUNNING = ["queued", "running"];

function figures(f) {
  return t("{km} km · {hours} h · {visits} visits", { km: f.km.toFixed(1), hours: f.hours.toFixed(1), visits: f.visits });
}

function diffLine(before, after) {
  return el("div", { class: "diff" },
    el("span", { class: "before", text: figures(before) }), " → ", el("span", { class: "after", text: figures(after) }));
}

export class Planner {
  constructor({ bar, proposal, day, me, zone, onSaved, previous }) {
    this.previous = previous || (() => null);
    this.bar = bar;
    this.proposalBox = proposal;
    this.day = day;
    this.me = me;
    this.zone = zone;
    this.onSaved = onSaved;
    this.planId = null;
    this.timer = 0;
    this.plan = null;
    this.build();
  }

  build() {
    this.button = el("button", { type: "button", class: "btn primary", "data-testid": "plan-day", text: t("Plan the day"), onclick: () => this.start() });
    this.maxMoved = el("input", { type: "number", min: "0", max: "10000", inputmode: "numeric", class: "max-moved", "data-testid": "max-moved", "aria-label": t("Move at most"), placeholder: "∞" });
    this.progress = el("progress", { max: "1", value: "0", "data-testid": "plan-progress", hidden: true });
    this.status = el("span", { class: "plan-status", role: "status", "data-testid": "plan-status" });
    this.actions = el("span", { class: "plan-actions" });
    this.bar.append(this.button,
      el("label", { class: "max-moved-label", title: t("planned visits to other masters (empty: any)") }, t("Move at most"), " ", this.maxMoved),
      this.progress, this.status, this.actions);
  }

  busy(on) {
    this.button.disabled = on;
    this.progress.hidden = !on;
  }

  say(text, buttons = []) {
    this.status.textContent = text;
    this.actions.replaceChildren(...buttons);
  }

  async start(takeOver = false) {
    const body = { day: this.day, take_over: takeOver };
    const limit = this.maxMoved.value.trim();
    if (limit !== "") body.max_moved = Number(limit);
    this.busy(true);
    this.say(t("Planning… {percent} %", { percent: 0 }));
    try {
      const queued = await post("/api/v1/dispatch/plans", body);
      this.follow(queued.id, true);
    } catch (error) {
      this.busy(false);
      if (error instanceof ApiError && error.status === 409) {
        this.say(error.message, [
          el("button", { type: "button", class: "btn", "data-testid": "plan-wait", text: t("Wait"), onclick: () => this.waitForOthers() }),
          el("button", { type: "button", class: "btn", "data-testid": "plan-take-over", text: t("Take over"), onclick: () => this.start(true) }),
        ]);
      } else {
        this.say(t("Planning failed: {error}", { error: error instanceof ApiError ? error.text : String(error) }));
      }
    }
  }

  // Another dispatcher's plan: follow its progress; when it is done the button is back.
  async waitForOthers() {
    this.say(t("Loading…"));
    try {
      const board = await get(`/api/v1/dispatch/board?day=${this.day}`);
      if (board.plan && RUNNING.includes(board.plan.status)) this.follow(board.plan.id, false);
      else this.say("");
    } catch (error) {
      this.say(error instanceof ApiError ? error.text : String(error));
    }
  }

  // The board's latest plan of the day: follow one being made; offer a ready one of mine.
  resume(brief) {
    if (!brief || this.planId === brief.id) return;
    if (RUNNING.includes(brief.status)) this.follow(brief.id, brief.planner_name === this.me);
    else if (brief.status === "ready" && brief.planner_name === this.me) {
      this.planId = brief.id;
      this.say("", [el("button", { type: "button", class: "btn", "data-testid": "show-proposal", text: t("Show the proposal"), onclick: () => this.follow(brief.id, true) })]);
    }
  }

  follow(planId, mine) {
    clearTimeout(this.timer);
    this.planId = planId;
    this.busy(true);
    const tick = async () => {
      let plan;
      try {
        plan = await get(`/api/v1/dispatch/plans/${planId}`);
      } catch (error) {
        this.say(error instanceof ApiError ? error.text : t("No connection to the server"));
        this.timer = setTimeout(tick, POLL_MS * 3);
        return;
      }
      const percent = Math.round((plan.progress || 0) * 100);
      this.progress.value = plan.progress || 0;
      if (RUNNING.includes(plan.status)) {
        if (mine) this.say(t("Planning… {percent} %", { percent }));
        else {
          this.say(t("{name} is planning this day… {percent} %", { name: plan.planner_name, percent }), [
            el("button", { type: "button", class: "btn", "data-testid": "plan-take-over", text: t("Take over"), onclick: () => { clearTimeout(this.timer); this.start(true); } }),
          ]);
        }
        this.timer = setTimeout(tick, POLL_MS);
        return;
      }
      this.busy(false);
      if (plan.status === "failed") this.say(t("Planning failed: {error}", { error: plan.error }));
      else if (plan.status === "ready" && mine) {
        this.say("");
        this.show(plan);
      } else this.say("");
      if (!mine) this.onSaved();
    };
    tick();
  }

  // The replan of the rest of today: the same request; the solver keeps done and started visits.
  replanToday() {
    this.start(false);
  }

  show(plan) {
    this.plan = plan;
    const box = this.proposalBox;
    const masters = new Map(plan.masters.map((m) => [m.master_id, m]));
    const byMaster = new Map();
    for (const a of plan.assignments) {
      if (!byMaster.has(a.master_id)) byMaster.set(a.master_id, []);
      byMaster.get(a.master_id).push(a);
    }
    const cards = plan.masters.map((m) => {
      const own = (byMaster.get(m.master_id) || []).sort((a, b) => a.sequence - b.sequence);
      const done = m.accepted || plan.accepted_master_ids.includes(m.master_id);
      return el("section", { class: "proposal-master", "data-testid": "proposal-master", "data-master": m.master_id },
        el("header", {},
          el("h3", { text: m.full_name }),
          done ? el("span", { class: "badge ok", text: t("Accepted") })
            : el("button", { type: "button", class: "btn", "data-testid": "accept-master", text: t("Accept"), onclick: () => this.accept([m.master_id]) })),
        diffLine(m.before, m.after),
        el("ol", { class: "proposal-visits" }, own.map((a) => el("li", { class: `change-${a.change}`, "data-testid": "proposal-visit", "data-order": a.order_id },
          el("span", { class: "nowrap", text: clockOf(a.planned_start, this.zone) }),
          el("b", { text: a.order_number }),
          el("span", { class: "address", text: a.address }),
          el("span", { class: `badge change ${a.change}`, text: changeName(a.change) }),
          a.change === "moved" && masters.get(a.previous_master_id) ? el("span", { class: "meta", text: `← ${masters.get(a.previous_master_id).full_name}` }) : null,
          ["moved", "retimed"].includes(a.change) && this.previous(a.visit_id) ? el("span", { class: "meta was", text: `(${this.previous(a.visit_id)})` }) : null,
          a.late_minutes > 0 ? el("span", { class: "late", text: t("{minutes} min late", { minutes: a.late_minutes }) }) : null))));
    });
    const left = plan.unassigned.length ? el("section", { class: "proposal-left", "data-testid": "proposal-left" },
      el("h3", { text: t("Not planned") }),
      el("ul", {}, plan.unassigned.map((u) => el("li", {}, el("b", { text: u.order_number || `#${u.order_id}` }), " — ", u.reason_text, u.detail ? ` (${u.detail})` : "")))) : null;
    const off = plan.off.length ? el("section", { class: "proposal-off" },
      el("h3", { text: t("Not working") }),
      el("ul", {}, plan.off.map((o) => el("li", {}, el("b", { text: o.full_name }), " — ", o.reason_text)))) : null;
    const everyone = plan.masters.every((m) => m.accepted || plan.accepted_master_ids.includes(m.master_id));
    box.replaceChildren(
      el("header", { class: "proposal-head" },
        el("h2", { text: t("Proposal") }),
        el("div", { class: "diff total" }, el("b", { text: t("All masters") }), " ", diffLine(plan.before, plan.after)),
        el("p", { class: "hint", text: `${t("Handed to another master: {count}", { count: plan.moved })} · ${t("Nothing is saved until you accept")}` }),
        el("div", { class: "actions" },
          everyone ? null : el("button", { type: "button", class: "btn primary", "data-testid": "accept-all", text: t("Accept all"), onclick: () => this.accept(null) }),
          el("button", { type: "button", class: "btn", "data-testid": "close-proposal", text: t("Close"), onclick: () => this.hide() }))),
      ...[el("div", { class: "proposal-masters" }, cards), left, off].filter(Boolean));
    box.hidden = false;
    this.onShown?.();
    box.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  hide() {
    this.proposalBox.hidden = true;
    this.proposalBox.replaceChildren();
  }

  async accept(masterIds) {
    const buttons = this.proposalBox.querySelectorAll("button");
    for (const b of buttons) b.disabled = true;
    try {
      const answer = await post(`/api/v1/dispatch/plans/${this.plan.id}/accept`, masterIds ? { master_ids: masterIds } : {});
      toast(t("Saved visits: {count}", { count: answer.visits.length }));
      if (answer.plan.status === "accepted" || !masterIds) this.hide();
      else this.show(answer.plan);
      this.onSaved();
    } catch (error) {
      for (const b of buttons) b.disabled = false;
      if (error instanceof ApiError && error.status === 409) {
        this.proposalBox.prepend(el("div", { class: "alert error", role: "alert", "data-testid": "plan-stale" },
          t("The day changed after this plan was made: plan it again"), " ", el("button", { type: "button", class: "btn", text: t("Plan again"), onclick: () => { this.hide(); this.start(false); } })));
        this.onSaved();
      } else {
        toast(t("Not saved: {error}", { error: error instanceof ApiError ? error.text : String(error) }), "error");
      }
    }
  }
}
