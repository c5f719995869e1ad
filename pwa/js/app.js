// Progressive enhancement for the server-rendered pages: confirmations and small helpers.
// Pages work without this script; it only adds comfort.

document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const asker = button && button.dataset && button.dataset.confirm ? button : form;
  const question = asker.dataset ? asker.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Status colours come from the database; CSP forbids inline styles, so apply them here.
for (const element of document.querySelectorAll("[data-color]")) {
  element.style.setProperty("--badge", element.dataset.color);
}

if (document.querySelector("[data-timeline]")) {
  import("/static/js/timeline.js");
}

if (document.querySelector("[data-suggest-block]")) {
  import("/static/js/board-suggest.js");
}

if (document.querySelector("[data-requests-new]")) {
  import("/static/js/requests-badge.js");
}

if (document.querySelector("[data-unread], [data-push]")) {
  import("/static/js/bell.js");
}
