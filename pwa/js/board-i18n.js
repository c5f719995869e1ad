// The board's words: translated on the server (server/dispatch/board_strings.py) and handed
// over as one JSON block; `{name}` parameters are filled here.

let words = null;

function catalogue() {
  if (words === null) {
    const block = document.getElementById("board-strings");
    words = block ? JSON.parse(block.textContent) : {};
  }
  return words;
}

export function t(key, params = {}) {
  let text = catalogue()[key] ?? key;
  for (const [name, value] of Object.entries(params)) {
    text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}
