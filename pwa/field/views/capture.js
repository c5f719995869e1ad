// Lines from the price list, photos and the customer's signature.
import * as db from "../db.js";
import { lineKind, t } from "../i18n.js";
import { downscale, signaturePad } from "../media.js";
import * as outbox from "../outbox.js";
import { actionScreen as screen, bottomBar, cardLink, field, fill, h, money, thumbnail } from "../ui.js";

const SHOWN = 40;

// Tap a price item to add it with the quantity set above; the card shows it at once.
export async function lineForm(view, ctx) {
  const prices = (await db.all("price_items")).sort((a, b) => a.name.localeCompare(b.name));
  const van = await db.meta("van");
  const inVan = new Map((van?.items || []).map((item) => [item.price_item_id, Number(item.available)]));
  const vanItems = new Map((van?.items || []).map((item) => [item.price_item_id, item]));
  const fromVan = h("input", { type: "checkbox", name: "from_van", checked: Boolean(van) });
  const problem = h("p", { class: "error", "data-testid": "line-problem", role: "alert" });
  const search = h("input", { type: "search", name: "price_search", placeholder: t("Search the price list"),
    autocomplete: "off", enterkeyhint: "search" });
  const qty = h("input", { type: "text", name: "quantity", value: "1", inputmode: "decimal", class: "qty" });
  const step = (delta) => {
    const next = Math.max(1, Math.round(Number(qty.value.replace(",", ".")) || 1) + delta);
    qty.value = String(next);
  };
  const choices = h("ul", { class: "choices", "data-testid": "price-items" });
  const draw = () => {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const found = prices.filter((p) => words.every((w) => `${p.code} ${p.name}`.toLowerCase().includes(w)));
    fill(choices, found.slice(0, SHOWN).map((item) => h("li", {},
      h("button", { type: "button", class: "choice", "data-price": item.id, onclick: () => add(item) },
        h("span", {}, item.name, h("small", { class: "muted" }, ` ${lineKind(item.kind)} · ${item.code}`),
          inVan.has(item.id) ? h("small", { class: "muted", "data-in-van": inVan.get(item.id) },
            ` · ${t("in the van: {count}", { count: inVan.get(item.id) })}`) : null),
        h("strong", { class: "num" }, money(item.price))))),
    found.length ? null : h("li", { class: "muted" }, t("Nothing found")));
  };
  // A serial-tracked part from the van is added one unit at a time, by the serial picked from
  // those the van holds (PROTOCOL.md: Van, order.line).
  const pickSerial = (item) => {
    const serials = vanItems.get(item.id)?.serials || [];
    if (qty.value.trim() !== "1") {
      problem.textContent = t("«{name}» is written off by serial number: add one at a time", { name: item.name });
      return;
    }
    const typed = h("input", { type: "text", name: "serial", autocomplete: "off" });
    fill(problem, t("Serial number of «{name}»:", { name: item.name }), " ",
      ...serials.map((serial) => h("button", { type: "button", class: "btn", "data-serial": serial,
        onclick: () => add(item, serial) }, serial)),
      van.issue_later ? [typed, h("button", { type: "button", class: "btn",
        onclick: () => typed.value.trim() && add(item, typed.value.trim()) }, t("Add"))] : null);
  };
  const add = async (item, serial) => {
    const quantity = qty.value.replace(",", ".").trim();
    if (!/^\d+(\.\d{1,3})?$/.test(quantity) || Number(quantity) <= 0) {
      qty.classList.add("invalid");
      return;
    }
    const change = { price_item_id: item.id, quantity };
    if (van && fromVan.checked && item.kind !== "service") {
      if ((inVan.get(item.id) || 0) < Number(quantity) && !van.issue_later) {
        problem.textContent = t("The van has not enough of «{name}»: untick «From my van» to add it without stock",
          { name: item.name });
        return;
      }
      if (vanItems.get(item.id)?.serial_tracked) {
        if (!serial) return pickSerial(item);
        change.serials = [serial];
      }
      change.warehouse_id = van.warehouse_id;
    }
    await outbox.enqueue("order.line", ctx.order.id, change, {
      note: { ...ctx.note, name: item.name, price: item.price, kind: item.kind } });
    ctx.done();
  };
  search.addEventListener("input", draw);
  draw();
  fill(view, cardLink(ctx.visit.id, `← ${ctx.order.number || t("Back")}`), h("h1", {}, t("Work or part")),
    h("div", { class: "sticky-search" }, search,
      h("div", { class: "row stepper" }, h("span", {}, t("Qty")),
        h("button", { class: "btn", type: "button", "aria-label": "−1", onclick: () => step(-1) }, "−"), qty,
        h("button", { class: "btn", type: "button", "aria-label": "+1", onclick: () => step(1) }, "+")),
      van ? h("label", { class: "row" }, fromVan, ` ${t("From my van «{name}»", { name: van.name })}`) : null),
    problem, choices,
    bottomBar(cardLink(ctx.visit.id, t("Cancel"), { class: "btn grow" })));
}

// A photo from the camera, made smaller on the phone, kept until the server has it.
export function photoForm(view, ctx) {
  const input = h("input", { type: "file", name: "photo", accept: "image/*", capture: "environment",
    id: "photo-input", class: "visually-hidden" });
  const preview = h("div", { class: "preview", "data-testid": "preview" });
  const caption = h("input", { name: "caption", placeholder: t("What the photo shows"), autocomplete: "off" });
  let ready = null;
  input.addEventListener("change", () => {
    const file = input.files[0];
    if (!file) return;
    ready = downscale(file).then((blob) => {
      fill(preview, thumbnail(blob));
      return blob;
    }).catch(() => null);
  });
  screen(view, ctx, t("Photo"), [
    h("label", { class: "btn big", for: "photo-input" }, t("Take a photo")), input, preview,
    field(t("Caption"), caption),
  ], "save-photo", t("Save"), async () => {
    const blob = ready && (await ready);
    if (!blob) return ready ? t("This is not a photo") : t("Take a photo first");
    await outbox.enqueueFile(ctx.order.id, "photo", blob, { caption: caption.value.trim(), note: ctx.note });
  });
}

// The customer signs with a finger, a stylus or a mouse; the signer's name goes with it.
export function signatureForm(view, ctx) {
  const canvas = h("canvas", { class: "signature", "data-testid": "signature" });
  const contact = (ctx.client?.phones || []).find((p) => p.is_primary)?.contact_name;
  const signer = h("input", { name: "signer", autocomplete: "off",
    value: contact || (ctx.client?.kind === "company" ? "" : ctx.client?.name || "") });
  const clear = h("button", { class: "btn", type: "button", "data-action": "clear-signature" }, t("Clear"));
  screen(view, ctx, t("Customer's signature"), [
    h("p", { class: "muted" }, t("The customer signs with a finger in the frame")), canvas, h("div", { class: "row" }, clear),
    field(t("Signed by"), signer),
  ], "save-signature", t("Save"), async () => {
    if (pad.isEmpty()) return t("No signature");
    if (!signer.value.trim()) {
      signer.classList.add("invalid");
      return t("Say who signed");
    }
    await outbox.enqueueFile(ctx.order.id, "signature", await pad.toBlob(),
      { signer: signer.value.trim(), note: ctx.note });
  });
  const pad = signaturePad(canvas);
  clear.addEventListener("click", () => pad.clear());
}
