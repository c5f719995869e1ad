// A searchable select (WAI-ARIA combobox with a listbox) over a native control, so every page
// still works without JavaScript:
//
//   <select data-combobox>               the options (and optgroups) are searched by name; the
//                                         select stays in the form and keeps the chosen value.
//   <input data-combobox-url="/api/…">   suggestions come from a JSON list ({items: [...]}) as
//                                         one types; choosing one follows its link
//                                         (data-combobox-href="/orders/new?client={id}"),
//                                         Enter without a choice submits the input's form.
//
// Keyboard: typing filters, ↓/↑ move, Enter chooses, Escape closes and restores, Alt+↓ opens.

let counter = 0;

function normal(text) {
  return text.toLocaleLowerCase().replaceAll("ё", "е").trim();
}

function matches(label, query) {
  const words = normal(query).split(/\s+/).filter(Boolean);
  const text = normal(label);
  return words.every((word) => text.includes(word));
}

function pick(object, path) {
  return path.split(".").reduce((value, key) => (value == null ? value : value[key]), object);
}

class Combobox {
  constructor(control) {
    this.control = control;
    this.id = `cb-${++counter}`;
    this.items = [];
    this.active = -1;
    this.remote = control.tagName === "INPUT";
    this.build();
  }

  build() {
    const wrap = document.createElement("div");
    wrap.className = "combobox";
    this.input = this.remote ? this.control : document.createElement("input");
    this.list = document.createElement("ul");
    this.list.className = "combobox-list";
    this.list.id = `${this.id}-list`;
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    const input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.autocomplete = "off";
    this.control.before(wrap);
    if (this.remote) {
      wrap.append(input, this.list);
    } else {
      const select = this.control;
      input.type = "text";
      input.id = `${select.id || this.id}-search`;
      input.className = "combobox-input";
      for (const name of ["aria-invalid", "aria-describedby"]) {
        if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
      }
      const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
      if (label) label.htmlFor = input.id;
      else if (select.getAttribute("aria-label")) input.setAttribute("aria-label", select.getAttribute("aria-label"));
      select.classList.add("combobox-native");
      select.tabIndex = -1;
      select.setAttribute("aria-hidden", "true");
      wrap.append(select, input, this.list);
      select.addEventListener("change", () => this.restore());
      this.restore();
    }
    input.addEventListener("input", () => this.search(input.value));
    input.addEventListener("keydown", (event) => this.key(event));
    input.addEventListener("blur", () => setTimeout(() => this.close(true), 150));
    if (!this.remote) input.addEventListener("click", () => (this.list.hidden ? this.open("") : null));
    this.list.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      if (!option) return;
      event.preventDefault();
      this.choose(Number(option.dataset.index));
    });
  }

  // The select's current option as the input's text (the empty choice as a placeholder).
  restore() {
    if (this.remote) return;
    const option = this.control.selectedOptions[0];
    const empty = !option || option.value === "";
    this.input.value = empty ? "" : option.text;
    const first = this.control.options[0];
    this.input.placeholder = first && first.value === "" ? first.text : "";
  }

  localItems(query) {
    const items = [];
    for (const option of this.control.options) {
      if (option.disabled || (option.value === "" && query)) continue;
      if (query && !matches(option.text, query)) continue;
      const group = option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
      items.push({ label: option.text, value: option.value, group });
    }
    return items;
  }

  async remoteItems(query) {
    if (normal(query).length < 2) return [];
    const url = new URL(this.control.dataset.comboboxUrl, location.href);
    url.searchParams.set("q", query);
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return [];
    const body = await response.json();
    const labelPath = this.control.dataset.comboboxLabel || "name";
    const hintPath = this.control.dataset.comboboxHint || "";
    const href = this.control.dataset.comboboxHref || "";
    return (body.items || []).map((item) => ({
      label: String(pick(item, labelPath) ?? ""),
      hint: hintPath ? String(pick(item, hintPath) ?? "") : "",
      href: href.replace(/\{(\w+)\}/g, (_, key) => encodeURIComponent(item[key] ?? "")),
      group: "",
    }));
  }

  async search(query) {
    const asked = (this.asked = query);
    const items = this.remote ? await this.remoteItems(query).catch(() => []) : this.localItems(query);
    if (asked !== this.asked) return; // a later keystroke has its own answer
    this.items = items;
    this.render(query);
  }

  open(query) {
    this.search(query);
  }

  render(query) {
    this.list.replaceChildren();
    this.active = -1;
    let group = "";
    this.items.forEach((item, index) => {
      if (item.group && item.group !== group) {
        group = item.group;
        const heading = document.createElement("li");
        heading.className = "combobox-group";
        heading.setAttribute("role", "presentation");
        heading.textContent = group;
        this.list.append(heading);
      }
      const option = document.createElement("li");
      option.id = `${this.id}-${index}`;
      option.className = "combobox-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      option.textContent = item.label;
      if (item.hint) {
        const hint = document.createElement("span");
        hint.className = "combobox-hint";
        hint.textContent = item.hint;
        option.append(hint);
      }
      this.list.append(option);
    });
    if (!this.items.length) {
      if (this.remote && normal(query).length < 2) return this.close(false);
      const none = document.createElement("li");
      none.className = "combobox-empty";
      none.setAttribute("role", "presentation");
      none.textContent = this.control.dataset.comboboxEmpty || "—";
      this.list.append(none);
    }
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    if (query && this.items.length) this.move(0);
  }

  move(index) {
    const options = this.list.querySelectorAll("[role=option]");
    if (!options.length) return;
    this.active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === this.active)));
    const current = options[this.active];
    this.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  }

  choose(index) {
    const item = this.items[index];
    if (!item) return;
    if (item.href) {
      location.assign(item.href);
      return;
    }
    this.control.value = item.value;
    this.control.dispatchEvent(new Event("change", { bubbles: true }));
    this.close(true);
  }

  close(restore) {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    if (!restore || this.remote) return;
    if (this.input.value.trim() === "" && this.control.options[0]?.value === "") {
      this.control.value = "";
      this.control.dispatchEvent(new Event("change", { bubbles: true }));
    }
    this.restore();
  }

  key(event) {
    const open = !this.list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open || event.altKey) return this.open(this.remote ? this.input.value : "");
      this.move(this.active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) this.move(this.active - 1);
    } else if (event.key === "Enter") {
      if (open && this.active >= 0) {
        event.preventDefault();
        this.choose(this.active);
      } else if (open && !this.remote) {
        event.preventDefault(); // a half-typed choice is never submitted
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.close(true);
    }
  }
}

export function enhance(root = document) {
  for (const control of root.querySelectorAll("select[data-combobox], input[data-combobox-url]")) {
    if (!control.dataset.comboboxReady) {
      control.dataset.comboboxReady = "1";
      new Combobox(control);
    }
  }
}

enhance();
