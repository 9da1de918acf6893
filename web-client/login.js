// Facilitator sign-in. The session lives in an HttpOnly cookie this script never sees.
import { api } from "./api.js";
import { strings } from "./console-strings.js";

const $ = (id) => document.getElementById(id);

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = strings.working;
  try {
    await api("POST", "/api/login", { username: $("username").value, password: $("password").value });
    location.assign("/console");
  } catch (error) {
    $("login-error").textContent = error.message;
    $("password").select();
  }
});
