// The count of new requests next to «Requests» in the navigation, asked every two minutes.

const BADGE = document.querySelector("[data-requests-new]");
const EVERY = 2 * 60 * 1000;

async function recount() {
  if (!BADGE || document.hidden) return;
  try {
    const response = await fetch("/api/v1/requests/count", {
      credentials: "same-origin", headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const { new: fresh } = await response.json();
    BADGE.textContent = fresh > 99 ? "99+" : String(fresh);
    BADGE.hidden = fresh === 0;
  } catch {
    // offline: the badge stays as it was
  }
}

recount();
setInterval(recount, EVERY);
document.addEventListener("visibilitychange", recount);
