// Times on the board are the service center's (its zone comes with the page), whatever zone
// the tablet is set to: minutes since the center's midnight, and back to ISO with the offset.

const formats = new Map();

function format(zone) {
  if (!formats.has(zone)) {
    formats.set(zone, new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    }));
  }
  return formats.get(zone);
}

function parts(date, zone) {
  const out = {};
  for (const p of format(zone).formatToParts(date)) out[p.type] = Number(p.value);
  return out;
}

// Minutes the zone is ahead of UTC at that moment.
export function zoneOffset(date, zone) {
  const p = parts(date, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

// Minutes since the center's midnight of the moment (on whatever day it falls).
export function minutesOf(iso, zone) {
  const p = parts(new Date(iso), zone);
  return p.hour * 60 + p.minute;
}

export function hhmm(minutes) {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export function clockOf(iso, zone) {
  return iso ? hhmm(minutesOf(iso, zone)) : "";
}

export function parseClock(text) {
  if (!text) return null;
  const [h, m] = text.split(":").map(Number);
  return h * 60 + m;
}

// "2026-12-02", 600 -> "2026-12-02T10:00:00+03:00" in the center's zone.
export function isoAt(day, minutes, zone) {
  const [y, mo, d] = day.split("-").map(Number);
  const guess = Date.UTC(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60);
  let offset = zoneOffset(new Date(guess), zone);
  offset = zoneOffset(new Date(guess - offset * 60000), zone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${day}T${hhmm(minutes)}:00${sign}${hhmm(abs)}`;
}

export function dateOf(iso, zone) {
  const p = parts(new Date(iso), zone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

export function shortDate(day, language) {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(language, { weekday: "short", day: "2-digit", month: "2-digit", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

export function addDays(day, count) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + count)).toISOString().slice(0, 10);
}
