// The facilitator's first day: set Hearth up from the printed link, sign in, create a group with a
// weekly schedule, make an invite link, and a member in another browser joins with it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { joinAsMember } from "./lib/hearth.mjs";

const PASSWORD = "a long and memorable passphrase";

let server;
let browser;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("first-run setup, sign-in, a scheduled group and its invite link that a member joins with", async () => {
  assert.ok(server.setupLink, "the server prints a setup link on first run");
  const staff = await browser.newContext({ locale: "en-US" });
  const page = await staff.newPage();

  await page.goto(server.setupLink);
  await page.getByLabel("Username").fill("sam");
  await page.getByLabel("Your name in rooms").fill("Sam");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Password, once more").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your groups" }).waitFor();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Username").fill("sam");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Your groups" }).waitFor();

  await page.getByRole("link", { name: "New group" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Tuesday evening circle");
  await page.getByLabel("Topic").fill("anxiety");
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByLabel("Tuesday").check();
  await page.getByLabel("Starts at").fill("19:00");
  await page.getByLabel("Minutes").fill("90");
  await page.getByRole("button", { name: "Create group" }).click();
  await page.getByRole("heading", { name: "Tuesday evening circle" }).waitFor();
  await page.getByText(/Next session: Tuesday, .*\(Europe\/Berlin\)/).waitFor();

  // Let members straight in, so the member below is seated without a facilitator present.
  await page.getByLabel("Open the room by itself").check();
  await page.getByLabel("Let members straight in").check();
  await page.getByLabel("Members may talk while no facilitator is present").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Saved.").waitFor();

  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = (await page.locator("#new-invite-link").textContent()).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/join#[A-Za-z0-9_-]{22}$/);
  await page.getByText("Active · 0 uses").waitFor();

  await page.getByRole("link", { name: "Back to your groups" }).click();
  await page.getByRole("link", { name: "Manage Tuesday evening circle" }).waitFor();
  await page.getByText(/Next session: Tuesday/).waitFor();

  const member = await browser.newContext();
  const memberPage = await member.newPage();
  await joinAsMember(memberPage, link, "River", { expect: null });
  // Before the waiting room opens the member is told so (and the page keeps trying);
  // during a session they land in the room.
  await memberPage.getByRole("heading", { name: /^(The waiting room isn't open yet|Tuesday evening circle|You're in the waiting room)$/ }).waitFor();

  await staff.close();
  await member.close();
});
