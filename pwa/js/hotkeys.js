// Hotkeys of the desk pages, listed on the help overlay (<dialog id="hotkeys"> in base.html,
// whose text the server translates). Keys are matched by event.code, the key's place, so they
// work in the Russian layout too. Single keys never fire while the user types in a field;
// saving (Ctrl+Enter, Ctrl+S) works there, it is what one wants while typing.

const TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true']";

function typing(target) {
  return target instanceof Element && target.closest(TYPING) !== null;
}

function visible(element) {
  return element.getClientRects().length > 0;
}

// The rows of the visible list (the table on a desktop, the cards on a phone).
function rows() {
  const lists = [...document.querySelectorAll("[data-rows]")].filter(visible);
  return lists.length ? [...lists[0].querySelectorAll("[data-row]")] : [];
}

function move(step) {
  const all = rows();
  if (!all.length) return false;
  const at = all.findIndex((row) => row.classList.contains("current"));
  const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
  all.forEach((row) => row.classList.remove("current"));
  const row = all[next];
  row.classList.add("current");
  const link = row.querySelector("[data-row-link]") || row.querySelector("a[href]");
  if (link) link.focus({ preventScroll: true });
  row.scrollIntoView({ block: "nearest" });
  return true;
}

function open() {
  const row = rows().find((r) => r.classList.contains("current"));
  const link = row && (row.querySelector("[data-row-link]") || row.querySelector("a[href]"));
  if (link) link.click();
  return Boolean(link);
}

function search() {
  const field = document.querySelector("[data-hotkey-search]") || document.querySelector("main input[type=search]");
  if (!field || !visible(field)) return false;
  field.focus();
  field.select();
  return true;
}

function newOrder() {
  const link = document.querySelector("[data-hotkey-new]");
  if (link) {
    link.click();
    return true;
  }
  if (document.body.dataset.newOrder) {
    window.location.assign(document.body.dataset.newOrder);
    return true;
  }
  return false;
}

// The form being filled in, or the page's one main form.
function save(target) {
  const form = (target instanceof Element && target.closest("form")) || document.querySelector("form[data-hotkey-save]");
  if (!form || form.method.toLowerCase() !== "post") return false;
  form.requestSubmit();
  return true;
}

function help() {
  const dialog = document.getElementById("hotkeys");
  if (!dialog) return false;
  if (dialog.open) dialog.close();
  else dialog.showModal();
  return true;
}

document.addEventListener("keydown", (event) => {
  const stepping = event.code === "KeyJ" || event.code === "KeyK";
  if (event.defaultPrevented || event.isComposing || (event.repeat && !stepping)) return;
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl && !event.altKey && (event.code === "Enter" || event.code === "NumpadEnter" || event.code === "KeyS")) {
    if (save(event.target)) event.preventDefault();
    return;
  }
  if (ctrl || event.altKey || typing(event.target)) return;
  const dialog = document.getElementById("hotkeys");
  if (dialog && dialog.open && event.code !== "Slash") return;
  let done = false;
  if (event.code === "Slash" && event.shiftKey) done = help();
  else if (event.shiftKey) return;
  else if (event.code === "Slash" || event.code === "KeyF") done = search();
  else if (event.code === "KeyN") done = newOrder();
  else if (event.code === "KeyJ") done = move(1);
  else if (event.code === "KeyK") done = move(-1);
  else if (event.code === "KeyO") done = open();
  if (done) event.preventDefault();
});
