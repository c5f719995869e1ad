// Progressive enhancement for the server-rendered pages: confirmations and small helpers.
// Pages work without this script; it only adds comfort.

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
