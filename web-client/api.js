// A small client for Hearth's JSON API, shared by the facilitator pages.
// State-changing requests are JSON (the server refuses anything else, as a CSRF guard).
import { strings } from "./console-strings.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  const options = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError(0, "network", strings.networkError);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiError(response.status, error.code ?? "unknown", error.message ?? strings.networkError);
  }
  return data;
}

// The element builder lives in dom.js (shared with the member client); re-exported for the console.
export { h } from "./dom.js";
