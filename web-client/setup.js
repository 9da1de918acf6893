// First-run setup: the token comes from the link the server printed (#TOKEN, never sent in a URL).
import { api } from "./api.js";
import { strings } from "./console-strings.js";

const $ = (id) => document.getElementById(id);
const token = location.hash.replace(/^#/, "");

async function start() {
  const status = await api("GET", "/api/setup").catch(() => null);
  if (status && !status.needed) {
    $("setup-form").hidden = true;
    $("setup-error").textContent = strings.setupNotNeeded;
    $("setup-done").hidden = false;
    return;
  }
  if (!token) $("setup-error").textContent = strings.setupNoToken;
}

$("setup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if ($("password").value !== $("password-again").value) {
    $("setup-error").textContent = strings.passwordsDiffer;
    $("password-again").focus();
    return;
  }
  $("setup-error").textContent = strings.working;
  try {
    await api("POST", "/api/setup", {
      token,
      username: $("username").value,
      display_name: $("display-name").value,
      password: $("password").value,
    });
    // Drop the spent token from the address bar and history.
    history.replaceState(null, "", "/setup");
    location.assign("/console");
  } catch (error) {
    $("setup-error").textContent = error.message;
  }
});

start();
