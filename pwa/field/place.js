// Where the master is (when they allow it) and how to get to the client: plain links only,
// the app itself never talks to a map service.
import * as db from "./db.js";
import { t } from "./i18n.js";
import { h } from "./ui.js";

const WAIT = 2500;

// The current position, or null: no permission, no fix in time, no geolocation at all.
export async function position() {
  if (!navigator.geolocation) return null;
  const found = await Promise.race([
    new Promise((resolve) => navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      () => resolve(null), { timeout: WAIT - 500, maximumAge: 60000, enableHighAccuracy: false })),
    new Promise((resolve) => setTimeout(() => resolve(null), WAIT)),
  ]);
  if (found) await db.setMeta("position", { ...found, at: new Date().toISOString() });
  return found;
}

// A position only where the master already allowed it: no permission prompt on a list.
export async function quietPosition() {
  const permission = await navigator.permissions?.query({ name: "geolocation" }).catch(() => null);
  return permission?.state === "granted" ? position() : null;
}

export function distanceKm(from, to) {
  if (!from || to.latitude == null || to.longitude == null) return null;
  const rad = (x) => (x * Math.PI) / 180;
  const dLat = rad(to.latitude - from.latitude);
  const dLon = rad(to.longitude - from.longitude);
  const a = Math.sin(dLat / 2) ** 2 +
    Math.cos(rad(from.latitude)) * Math.cos(rad(to.latitude)) * Math.sin(dLon / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

// The phone's navigator (geo:), Yandex Maps and Google Maps, by coordinates or by address.
export function mapLinks(visit) {
  const text = encodeURIComponent(visit.address || "");
  const hasPoint = visit.latitude != null && visit.longitude != null;
  const ll = hasPoint ? `${visit.latitude},${visit.longitude}` : "";
  const links = hasPoint ? [
    [t("Navigator"), `geo:${ll}?q=${ll}(${text})`],
    [t("Yandex Maps"), `https://yandex.ru/maps/?rtext=~${ll}&rtt=auto`],
    [t("Google Maps"), `https://www.google.com/maps/dir/?api=1&destination=${ll}`],
  ] : [
    [t("Navigator"), `geo:0,0?q=${text}`],
    [t("Yandex Maps"), `https://yandex.ru/maps/?text=${text}`],
    [t("Google Maps"), `https://www.google.com/maps/search/?api=1&query=${text}`],
  ];
  return h("div", { class: "row links" }, links.map(([label, href]) =>
    h("a", { class: "btn", href, target: href.startsWith("geo:") ? null : "_blank",
      rel: "noopener noreferrer", "data-map": label }, label)));
}
