// New-client form: warn about clients that already have a typed phone or email, before saving.
// Progressive enhancement: the server warns again on submit if this script never runs.

const form = document.querySelector("form[data-duplicates]");
const box = document.querySelector("[data-duplicates-live]");

async function lookup(params) {
  const response = await fetch(`/api/v1/clients/duplicates?${params}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return [];
  return (await response.json()).items || [];
}

async function check() {
  const phones = (form.elements.phones?.value || "").split("\n").map((s) => s.trim()).filter(Boolean);
  const emails = (form.elements.emails?.value || "").split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  const found = new Map();
  for (const phone of phones.slice(0, 5)) {
    for (const c of await lookup(new URLSearchParams({ phone }))) found.set(c.id, c);
  }
  for (const email of emails.slice(0, 5)) {
    for (const c of await lookup(new URLSearchParams({ email }))) found.set(c.id, c);
  }
  const list = box.querySelector("ul");
  list.replaceChildren();
  for (const c of found.values()) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/clients/${c.id}`;
    link.textContent = c.name;
    item.append(link);
    list.append(item);
  }
  box.hidden = found.size === 0;
}

if (form && box) {
  for (const name of ["phones", "emails"]) {
    form.elements[name]?.addEventListener("blur", () => check().catch(() => {}));
  }
}
