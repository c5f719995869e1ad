// Visit status moves the master makes (the server's MASTER_MOVES), with time and position.
import * as outbox from "../outbox.js";
import { position } from "../place.js";

export const MOVES = {
  planned: ["en_route", "on_site", "failed"],
  en_route: ["on_site", "failed", "planned"],
  on_site: ["done", "failed"],
};

// The move the bottom bar offers first.
export const NEXT_MOVE = { planned: "en_route", en_route: "on_site", on_site: "done" };

// Queue a status move: the time is the tap's; the position is added when the phone gives one.
export async function move(visit, status, reason = "") {
  const at = new Date().toISOString();
  const where = status === "planned" ? null : await position();
  const change = { status, ...(status === "failed" ? { reason } : {}), ...(where || {}) };
  return outbox.enqueue("visit.status", visit.id, change, {
    baseVersion: visit.version ?? null, at, note: { order_id: visit.order_id },
  });
}
