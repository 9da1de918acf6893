// Helpers shared by the browser tests: staff accounts and groups through the JSON API, the
// member's way in through the real pages, screenshots, and page traps for errors.
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
// Every run saves a screenshot of every screen. By default they go to test-results/ (ignored by
// git, so a test run leaves the tree clean); `scripts/screenshots` sets HEARTH_SCREENSHOTS=docs to
// refresh the ones the README shows.
export const SCREENSHOTS =
  process.env.HEARTH_SCREENSHOTS === "docs"
    ? resolve(here, "../../../docs/screenshots")
    : resolve(here, "../test-results/screenshots");
export const PASSWORD = "a long and memorable passphrase";

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// A signed-in staff context. The first call on a fresh server uses the printed setup link (which
// creates the operator); later calls sign in.
export async function staffContext(browser, server, { username = "sam", displayName = "Sam", options = {} } = {}) {
  const context = await browser.newContext({ locale: "en-US", ...DESKTOP, ...options });
  const token = server.setupLink?.split("#")[1];
  let response;
  if (token && !server.setupDone) {
    response = await context.request.post(`${server.url}/api/setup`, {
      data: { token, username, display_name: displayName, password: PASSWORD },
    });
    server.setupDone = true;
  } else {
    response = await context.request.post(`${server.url}/api/login`, { data: { username, password: PASSWORD } });
  }
  assert.ok(response.ok(), `staff sign-in failed: ${response.status()} ${await response.text()}`);
  return context;
}

// Creates another facilitator account (as the operator in `context`).
export async function addAccount(context, server, { username, displayName }) {
  const response = await context.request.post(`${server.url}/api/accounts`, {
    data: { username, display_name: displayName, password: PASSWORD, is_admin: false },
  });
  assert.ok(response.ok(), await response.text());
}

function utcParts(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, start: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` };
}

// A group with one session that starts `startsIn` minutes from now (negative: already running),
// facilitated by default: a facilitator opens the session and admits members.
export async function createGroup(context, server, { name, startsIn = 30, minutes = 60, waitingRoomMinutes = 60, settings = {}, rules, description } = {}) {
  const startMs = Math.floor((Date.now() + startsIn * 60000) / 60000) * 60000 + (startsIn > 0 ? 60000 : 0);
  const { date, start } = utcParts(startMs);
  const body = {
    name,
    time_zone: "UTC",
    schedule: { weekly: [], one_off: [{ date, start, minutes }], skip: [] },
  };
  if (rules) body.rules = rules;
  if (description) body.description = description;
  let response = await context.request.post(`${server.url}/api/groups`, { data: body });
  assert.ok(response.ok(), await response.text());
  const { group } = await response.json();
  response = await context.request.put(`${server.url}/api/groups/${group.id}/settings`, {
    data: {
      filter_policy: "block",
      exempt_facilitators: true,
      crisis_locale: "us",
      auto_open: false,
      auto_admit: false,
      allow_without_facilitator: false,
      waiting_room_minutes: waitingRoomMinutes,
      ...settings,
    },
  });
  assert.ok(response.ok(), await response.text());
  return group;
}

export async function createInvite(context, server, groupId) {
  const response = await context.request.post(`${server.url}/api/groups/${groupId}/invites`, { data: {} });
  assert.ok(response.ok(), await response.text());
  return (await response.json()).link;
}

// The member's way in, through the real pages: how this works → a name → the rules → join.
export async function joinAsMember(page, link, name, { expect = "room" } = {}) {
  await page.goto(link);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Your name in this group").fill(name);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("I have read the ground rules").check();
  await page.getByRole("button", { name: "Join the group" }).click();
  if (expect === "waiting") await page.getByRole("heading", { name: "You're in the waiting room" }).waitFor();
  if (expect === "room") await page.getByLabel("Message to the group").waitFor();
  return page;
}

// Fails the test on any script error, dialog or CSP violation in the page.
export function watch(page) {
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("console", (message) => {
    // The browser's own note on a refused or cut connection is expected while reconnecting.
    if (message.type() === "error" && !/^WebSocket connection to .* failed/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  const allowed = [];
  return {
    problems,
    // Expected noise for one test (a refused API request logs its status, say).
    allow(pattern) {
      allowed.push(pattern);
    },
    check() {
      const left = problems.filter((p) => !allowed.some((pattern) => pattern.test(p)));
      assert.deepEqual(left, [], left.join("\n"));
    },
  };
}

// One screenshot per screen per size, for docs/screenshots and the README.
export async function shot(page, name, { fullPage = false } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage, animations: "disabled", caret: "hide" });
}
