// What the master does on site: one screen per action, the save button under the thumb.
// Every action goes to the outbox (and the local copy) first; sending is the sync's job.
import * as db from "../db.js";
import { failReasons, paymentMethod, t, visitMove } from "../i18n.js";
import * as outbox from "../outbox.js";
import { actionScreen as screen, backToCard, cardLink, field, fill, go, h, money } from "../ui.js";
import { lineForm, photoForm, signatureForm } from "./capture.js";
import { move, MOVES, NEXT_MOVE } from "./moves.js";

function sheet(view, ctx) {
  const { visit, order } = ctx;
  const moves = (MOVES[visit.status] || []).filter((s) => s !== NEXT_MOVE[visit.status] || s === "failed");
  // The sheet gives way to the chosen screen (one history entry from the card).
  const item = (href, label, testid) => h("a", { class: "btn sheet-item", href, "data-open": testid,
    onclick: (event) => {
      event.preventDefault();
      go(href, { replace: true, card: visit.id });
    } }, label);
  const base = `#/visit/${visit.id}`;
  fill(view, cardLink(visit.id, `← ${order.number || t("Back")}`), h("h1", {}, t("Actions")),
    h("div", { class: "sheet" },
      item(`${base}/line`, t("Work or part"), "line"),
      item(`${base}/photo`, t("Photo"), "photo"),
      item(`${base}/sign`, t("Customer's signature"), "sign"),
      item(`${base}/pay`, t("Payment on site"), "pay"),
      item(`${base}/comment`, t("Comment"), "comment"),
      item(`${base}/fault`, t("Fault"), "fault"),
      (order.next_statuses || []).length ? item(`${base}/status`, t("Order status"), "status") : null,
      moves.map((status) => status === "failed" ?
        item(`${base}/failed`, t("Failed"), "failed") :
        h("button", { class: "btn sheet-item", type: "button", "data-move": status, onclick: async () => {
          await move(visit, status);
          ctx.done();
        } }, visitMove(status)))));
}

function failedForm(view, ctx) {
  const reason = h("textarea", { name: "reason", rows: 3, required: true });
  const chips = h("div", { class: "row" }, failReasons().map((text) =>
    h("button", { class: "chip", type: "button", onclick: () => { reason.value = text; } }, text)));
  screen(view, ctx, t("Failed"), [field(t("Reason"), reason), chips], "save-failed", t("Save"), async () => {
    if (!reason.value.trim()) return t("Say why");
    await move(ctx.visit, "failed", reason.value.trim());
  });
}

function commentForm(view, ctx) {
  const text = h("textarea", { name: "comment", rows: 5 });
  screen(view, ctx, t("Comment"), [field(t("Comment"), text)], "save-comment", t("Send"), async () => {
    if (!text.value.trim()) return t("Write a comment");
    await outbox.enqueue("order.comment", ctx.order.id, { text: text.value.trim() }, { note: ctx.note });
  });
}

function faultForm(view, ctx) {
  const seen = ctx.order.declared_fault || "";
  const fault = h("textarea", { name: "declared_fault", rows: 4 }, seen);
  screen(view, ctx, t("Fault"), [field(t("Fault"), fault)], "save-fault", t("Save"), async () => {
    const value = fault.value.trim();
    if (value === seen.trim()) return null;
    // `base`: what the master saw, so that the server can tell a conflict from a merge.
    await outbox.enqueue("order.fields", ctx.order.id, { declared_fault: value }, {
      base: { declared_fault: seen }, baseVersion: ctx.order.version ?? null, note: ctx.note });
  });
}

function statusForm(view, ctx) {
  const choices = (ctx.order.next_statuses || []).map((s) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: "order_status", value: s.code }), s.name));
  const comment = h("textarea", { name: "status_comment", rows: 2 });
  screen(view, ctx, t("Order status"), [h("p", {}, `${t("Now")}: ${ctx.order.status?.name || ""}`),
    h("div", { class: "choices" }, choices), field(t("Comment"), comment)], "save-status", t("Save"), async () => {
    const code = view.querySelector("input[name=order_status]:checked")?.value;
    if (!code) return t("Choose a status");
    const chosen = ctx.order.next_statuses.find((s) => s.code === code);
    const change = { status: code, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) };
    await outbox.enqueue("order.status", ctx.order.id, change, {
      baseVersion: ctx.order.version ?? null, note: { ...ctx.note, status: chosen } });
  });
}

function paymentForm(view, ctx) {
  const due = Number(ctx.order.amount_due || 0);
  const amount = h("input", { name: "amount", inputmode: "decimal", autocomplete: "off",
    value: due > 0 ? due.toFixed(2) : "" });
  const methods = h("div", { class: "segmented" }, ["cash", "card", "transfer"].map((m, i) =>
    h("label", {}, h("input", { type: "radio", name: "method", value: m, checked: i === 0 }), paymentMethod(m))));
  const comment = h("input", { name: "payment_comment" });
  screen(view, ctx, t("Payment on site"), [h("p", {}, `${t("Due")}: ${money(ctx.order.amount_due)}`),
    field(t("Amount"), amount), methods, field(t("Comment"), comment)], "save-payment", t("Save"), async () => {
    const value = amount.value.replace(",", ".").replace(/\s/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(value) || Number(value) <= 0) {
      amount.classList.add("invalid");
      return t("The amount is a number above zero");
    }
    const method = view.querySelector("input[name=method]:checked").value;
    const change = { amount: Number(value).toFixed(2), method,
      ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) };
    await outbox.enqueue("order.payment", ctx.order.id, change, { note: ctx.note });
  });
}

const FORMS = {
  actions: sheet, failed: failedForm, comment: commentForm, fault: faultForm, status: statusForm,
  pay: paymentForm, line: lineForm, photo: photoForm, sign: signatureForm,
};

// An action screen of a visit's order (`name` from the address: #/visit/12/photo).
export async function action(view, visitId, name) {
  const visit = await db.get("visits", visitId);
  const form = FORMS[name];
  if (!visit || !form) {
    location.replace(visit ? `#/visit/${visitId}` : "#/");
    return;
  }
  const order = (await db.get("orders", visit.order_id)) || { id: visit.order_id, lines: [] };
  const client = order.client ? await db.get("clients", order.client.id) : null;
  const ctx = {
    visit, order, client, note: { order_id: order.id, number: order.number },
    done: () => backToCard(visit.id),
  };
  await form(view, ctx);
}
