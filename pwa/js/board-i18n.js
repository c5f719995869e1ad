// The board's words: English message ids in t("...") calls, extracted by pybabel into the
// "board" catalogue (server/locale/<lang>/LC_MESSAGES/board.po); the page hands over the
// translations of the employee's language as one JSON block (#board-strings). `{name}`
// parameters are filled here; an untranslated phrase shows in English.

let catalogue = null;

function strings() {
  if (catalogue === null) {
    const block = document.getElementById("board-strings");
    catalogue = block ? JSON.parse(block.textContent) : {};
  }
  return catalogue;
}

function fill(text, params) {
  for (const [name, value] of Object.entries(params)) {
    text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

export function t(message, params = {}) {
  const text = strings().messages?.[message];
  return fill(typeof text === "string" && text ? text : message, params);
}

// The CLDR date length of the employee's language, as the server's pages use it.
export function dateStyle() {
  return strings().dateStyle || "short";
}

// The form of a phrase for the count n by the language's plural rule (Intl.PluralRules over
// the catalogue's forms); {n} is filled with the count.
export function tn(singular, plural, n, params = {}) {
  const forms = strings().plural || { one: 0, other: 1 };
  const index = forms[new Intl.PluralRules(document.documentElement.lang || "ru").select(n)] ?? (n === 1 ? 0 : 1);
  const texts = strings().messages?.[singular];
  const text = Array.isArray(texts) && texts[index] ? texts[index] : index === 0 ? singular : plural;
  return fill(text, { n, ...params });
}

// Names of codes, one literal message id each (pybabel finds no key built at run time);
// an unknown code shows itself.
export function tabName(view) {
  return { day: t("Day"), week: t("Week"), map: t("Map") }[view] ?? view;
}

export function priorityName(priority) {
  return { low: t("low"), normal: t("normal"), high: t("high"), urgent: t("urgent") }[priority] ?? priority;
}

export function visitStatusName(status) {
  return {
    planned: t("Planned"), en_route: t("En route"), on_site: t("On site"), done: t("Done"),
    failed: t("Failed"), cancelled: t("Cancelled"),
  }[status] ?? status;
}

export function changeName(change) {
  return {
    new: t("new"), moved: t("another master"), retimed: t("new time"), same: t("unchanged"),
    kept: t("stays"),
  }[change] ?? change;
}
