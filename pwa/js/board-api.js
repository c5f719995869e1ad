// JSON requests of the board: same-origin cookies, the CSRF token from its cookie, and errors
// as ApiError carrying the server's message and field errors (server/errors.py's shape).

import { t } from "./board-i18n.js";

function csrf() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || (status ? `HTTP ${status}` : t("No connection to the server")));
    this.status = status;
    this.body = body || {};
  }

  // The message with each field error, for a person to act on.
  get text() {
    const fields = (this.body.errors || []).map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
    return [this.message, ...fields].filter(Boolean).join(" · ");
  }
}

export async function api(method, url, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (method !== "GET") options.headers["X-CSRFToken"] = csrf();
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new ApiError(0, null);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text.slice(0, 200) };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (url) => api("GET", url);
export const post = (url, body) => api("POST", url, body ?? {});
export const patch = (url, body) => api("PATCH", url, body);
