// Modal dialogs of the board: a title, content, and buttons; resolves with the pressed value.

import { t } from "./board-i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// buttons: [{value, label, primary?, testid?}]; Escape or the backdrop give `null`.
export function dialog({ title, body = [], buttons = [], testid = "dialog" }) {
  return new Promise((resolve) => {
    const box = el("dialog", { class: "board-dialog", "data-testid": testid });
    const close = (value) => {
      if (!box.isConnected) return;
      box.close();
      box.remove();
      resolve(value);
    };
    box.closeWith = close;
    const actions = el("div", { class: "actions" }, buttons.map((b) => el("button", {
      type: "button", class: `btn${b.primary ? " primary" : ""}`, "data-testid": b.testid || null,
      text: b.label, onclick: () => close(b.value),
    })));
    if (!buttons.length) {
      actions.append(el("button", { type: "button", class: "btn", text: t("Close"), onclick: () => close(null) }));
    }
    box.append(el("h2", { text: title }), ...[].concat(body).filter(Boolean), actions);
    box.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(null);
    });
    box.addEventListener("click", (event) => {
      if (event.target === box) close(null);
    });
    document.body.append(box);
    box.showModal();
  });
}

export function closeDialogs() {
  for (const box of document.querySelectorAll(".board-dialog")) box.closeWith(null);
}

let toastTimer = 0;

export function toast(text, kind = "ok") {
  let box = document.querySelector(".board-toast");
  if (!box) {
    box = el("div", { class: "board-toast", role: "status", "data-testid": "toast" });
    document.body.append(box);
  }
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 8000 : 3500);
}
