// The field app's words: English message ids in t("...") calls, extracted by pybabel into the
// "field" catalogue (server/locale/<lang>/LC_MESSAGES/field.po). The page carries the
// translations of every language in a JSON block (#field-strings), so the app speaks the
// employee's language offline too and switches when the employee's choice changes.

let code = "ru";
let all = null;

function catalogues() {
  if (all === null) {
    const block = document.getElementById("field-strings");
    all = block ? JSON.parse(block.textContent) : {};
  }
  return all;
}

export function setLanguage(language) {
  code = language === "en" ? "en" : "ru";
  document.documentElement.lang = code;
}

export function lang() {
  return code;
}

// The CLDR date length of the language, as the server's pages use it (server/formats.py).
export function dateStyle() {
  return catalogues()[code]?.dateStyle || (code === "en" ? "medium" : "short");
}

function fill(text, params) {
  return params ? text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? "")) : text;
}

// A phrase in the app's language, with {named} values filled in; an untranslated one in English.
export function t(message, params = null) {
  const text = catalogues()[code]?.messages?.[message];
  return fill(typeof text === "string" && text ? text : message, params);
}

// The form of a phrase for the count n by the language's plural rule (CLDR, through
// Intl.PluralRules): 1 выезд, 2 выезда, 5 выездов, 21 выезд. {n} is filled with the count.
export function tn(singular, plural, n, params = {}) {
  const catalogue = catalogues()[code] || {};
  const forms = catalogue.plural || { one: 0, other: 1 };
  const index = forms[new Intl.PluralRules(code).select(n)] ?? (n === 1 ? 0 : 1);
  const texts = catalogue.messages?.[singular];
  const text = Array.isArray(texts) && texts[index] ? texts[index] : index === 0 ? singular : plural;
  return fill(text, { n, ...params });
}

// Names of the codes the server and the outbox use, one message id each (pybabel finds only
// literal ids, not keys built at run time); an unknown code shows itself.
export function visitStatus(status) {
  return {
    planned: t("Planned"), en_route: t("En route"), on_site: t("On site"), done: t("Done"),
    failed: t("Failed"), cancelled: t("Cancelled"),
  }[status] ?? status;
}

export function visitMove(status) {
  return {
    en_route: t("On my way"), on_site: t("Arrived"), done: t("Mark as done"), failed: t("Failed"),
    planned: t("Back to planned"),
  }[status] ?? status;
}

export function fieldName(name) {
  return { declared_fault: t("Fault"), appearance: t("Appearance"), accessories: t("Accessories") }[name] ?? name;
}

export function lineKind(kind) {
  return { service: t("work"), part: t("part"), good: t("goods") }[kind] ?? kind;
}

export function changeState(state) {
  return {
    pending: t("waiting to be sent"), conflict: t("conflict"), rejected: t("rejected"),
    held: t("waits for its author"),
  }[state] ?? state;
}

export function paymentMethod(method) {
  return { cash: t("Cash"), card: t("Card"), transfer: t("Transfer") }[method] ?? method;
}

export function failReasons() {
  return [t("Nobody there"), t("No access to the device"), t("The client refused"), t("A part is needed")];
}
