// Accessibility beyond the journeys: the whole member journey with the keyboard alone (no mouse
// event at all), the screens the journeys do not reach (no invite, a bad invite, too early, the
// facilitator's sign-in and dashboard) checked with axe, and reflow: no sideways scrolling at
// 360 px wide or at 200% zoom of a 1280×800 window.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { staffContext, createGroup, createInvite, joinAsMember, watch, DESKTOP, PHONE } from "./lib/hearth.mjs";
import { screen, checkA11y, printFindings } from "./lib/a11y.mjs";

let demo;
let staffServer;
let browser;

before(async () => {
  [demo, staffServer, browser] = await Promise.all([startServer(), startServer({ demo: false }), launch()]);
});

after(async () => {
  printFindings();
  await browser?.close();
  await demo?.stop();
  await staffServer?.stop();
});

const messages = (page) => page.locator("#messages");

// Presses Tab (or Shift+Tab) until the focused element matches `selector`; every stop on the way
// must show a visible focus indicator.
async function tabTo(page, selector, { backwards = false, max = 80 } = {}) {
  for (let i = 0; i < max; i += 1) {
    const state = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el || el === document.body) return { match: false, visible: true };
      const interactive = el.matches("a, button, input, select, textarea, summary, [tabindex='0']");
      return { match: el.matches(sel), visible: !interactive || el.matches(":focus-visible"), what: el.outerHTML.slice(0, 80) };
    }, selector);
    assert.ok(state.visible, `focus is visible on ${state.what}`);
    if (state.match) return;
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  assert.fail(`could not reach ${selector} with the keyboard`);
}

const focused = (page) => page.evaluate(() => ({ id: document.activeElement?.id, text: document.activeElement?.textContent?.trim(), label: document.activeElement?.getAttribute("aria-label") }));

test("keyboard only: join, talk, react, report, raise a hand, write privately, get help, leave", async () => {
  const otherContext = await browser.newContext(DESKTOP);
  const kai = await joinAsMember(await otherContext.newPage(), demo.joinLink, "Kai");
  const context = await browser.newContext({ locale: "en-US", ...DESKTOP });
  const page = await context.newPage();
  const w = watch(page);
  // Any mouse event on the page fails the test.
  await page.addInitScript(() => {
    window.__mouse = 0;
    for (const type of ["mousedown", "mouseup", "click", "pointerdown"]) {
      document.addEventListener(type, (event) => {
        if (event.isTrusted && event.detail > 0) window.__mouse += 1;
      }, true);
    }
  });
  const k = page.keyboard;

  await page.goto(demo.joinLink);
  await page.getByRole("heading", { name: "Welcome to Demo group" }).waitFor();
  await tabTo(page, "#intro-next");
  await k.press("Enter");
  await page.getByRole("heading", { name: "Choose a name for this session" }).waitFor();
  await tabTo(page, "#name-input");
  await k.type("Robin");
  await k.press("Enter");
  await page.getByRole("heading", { name: "Ground rules" }).waitFor();
  await tabTo(page, "#accept-rules");
  await k.press("Space");
  await tabTo(page, "#join-button");
  await k.press("Enter");

  // Seated, with the focus in the message box.
  await page.waitForFunction(() => document.activeElement?.id === "message-input");
  await k.type("Hello, I found my way here with the keyboard.");
  await k.press("Enter");
  await messages(kai).getByText("Hello, I found my way here with the keyboard.").waitFor();

  // React to Kai's message: the menu opens on Enter, arrows move, Enter chooses, focus returns.
  await kai.getByLabel("Message to the group").fill("Welcome, Robin.");
  await kai.keyboard.press("Enter");
  await messages(page).getByText("Welcome, Robin.").waitFor();
  await tabTo(page, "[aria-label='React to or report the message from Kai']", { backwards: true });
  await k.press("Enter");
  assert.equal((await focused(page)).text, "Heart");
  await k.press("ArrowDown");
  assert.equal((await focused(page)).text, "Hug");
  await k.press("Enter");
  assert.equal((await focused(page)).label, "React to or report the message from Kai");
  await kai.getByRole("button", { name: /^Hug: 1 person/ }).waitFor();

  // Report it: the dialog takes the focus and gives it back.
  await k.press("Enter");
  await k.press("ArrowUp");
  assert.equal((await focused(page)).text, "Report…");
  await k.press("Enter");
  await page.getByRole("dialog", { name: "Report a message" }).waitFor();
  assert.equal((await focused(page)).id, "report-reason");
  await tabTo(page, "#report-note");
  await k.type("Only testing the report form.");
  await tabTo(page, "#report-form button[type=submit]");
  await k.press("Enter");
  await messages(page).getByText("Thank you. The facilitators have your report.").waitFor();
  assert.equal((await focused(page)).label, "React to or report the message from Kai");

  // Raise a hand.
  await tabTo(page, "#hand-button");
  await k.press("Space");
  await page.getByText("Your hand is raised: you're number 1 in line.").waitFor();

  // The private line: opens into its text box; Escape closes it and returns to the toggle.
  await tabTo(page, "#screen-room [data-private-toggle]");
  await k.press("Enter");
  assert.equal((await focused(page)).id, "private-input");
  await k.type("Just saying hello privately.");
  await k.press("Enter");
  await page.locator("#private-thread").getByText("Just saying hello privately.").waitFor();
  await k.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute("data-private-toggle")), true);

  // Help: the dialog opens on its heading; Escape returns to the button.
  await tabTo(page, "#help-button", { backwards: true });
  await k.press("Enter");
  await page.getByRole("dialog", { name: "If you need help now" }).waitFor();
  assert.equal((await focused(page)).id, "crisis-heading");
  await k.press("Escape");
  assert.equal((await focused(page)).id, "help-button");

  // Leave: one key press away.
  await tabTo(page, "#leave-button");
  await k.press("Enter");
  await page.getByRole("heading", { name: "You've left the group" }).waitFor();
  await screen(page, "member-left-desktop");

  assert.equal(await page.evaluate(() => window.__mouse), 0, "no mouse events");
  w.check();
  await Promise.all([context.close(), otherContext.close()]);
});

test("the screens the journeys do not reach pass axe (no invite, a bad invite, too early, sign-in, dashboard)", async () => {
  for (const [size, options] of [
    ["desktop", DESKTOP],
    ["phone", { ...PHONE, colorScheme: "dark" }],
  ]) {
    const context = await browser.newContext({ locale: "en-US", ...options });
    const page = await context.newPage();
    const w = watch(page);
    w.allow(/Failed to load resource: the server responded with a status of 404/);
    await page.goto(`${demo.url}/join`);
    await page.getByLabel("Invite link or code").waitFor();
    await screen(page, `member-invite-${size}`);
    await page.getByLabel("Invite link or code").fill(`${demo.url}/join#not-a-real-code`);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("This invite link is not valid.", { exact: false }).waitFor();
    await checkA11y(page, `member-invite-invalid-${size}`);
    // The crisis resources are there before any invite is known.
    await page.getByRole("button", { name: "Need help now?" }).click();
    await page.getByRole("dialog", { name: "If you need help now" }).getByText("988 Suicide & Crisis Lifeline").waitFor();
    await page.keyboard.press("Escape");
    w.check();
    await context.close();
  }

  const staff = await staffContext(browser, staffServer);
  const group = await createGroup(staff, staffServer, { name: "Saturday morning group", startsIn: 600, waitingRoomMinutes: 10 });
  const link = await createInvite(staff, staffServer, group.id);
  for (const [size, options] of [
    ["desktop", DESKTOP],
    ["phone", { ...PHONE, colorScheme: "dark" }],
  ]) {
    const context = await browser.newContext({ locale: "en-US", ...options });
    const page = await joinAsMember(await context.newPage(), link, "Early Bird", { expect: null });
    await page.getByRole("heading", { name: "The waiting room isn't open yet" }).waitFor();
    await page.getByText(/^The session starts on .+ \(your time\)\. The waiting room opens at .+, in about 10 hours\.$/).waitFor();
    await page.getByText("You can keep this page open: it lets you in when the waiting room opens.").waitFor();
    await screen(page, `member-early-${size}`);
    await context.close();
  }

  const sam = await staff.newPage();
  await sam.goto(`${staffServer.url}/console`);
  await sam.getByRole("link", { name: "Enter the room: Saturday morning group" }).waitFor();
  await screen(sam, "console-dashboard-desktop");
  const signIn = await (await browser.newContext({ locale: "en-US", ...PHONE, colorScheme: "dark" })).newPage();
  await signIn.goto(`${staffServer.url}/login`);
  await checkA11y(signIn, "console-login-phone");
  await staff.close();
});

test("no sideways scrolling at 360 px wide or at 200% zoom", async () => {
  for (const options of [
    { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
    { viewport: { width: 640, height: 400 } },
  ]) {
    const context = await browser.newContext({ locale: "en-US", ...options });
    const page = await context.newPage();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const where = `${options.viewport.width}×${options.viewport.height}`;
    await page.goto(demo.joinLink);
    await page.getByRole("heading", { name: "Welcome to Demo group" }).waitFor();
    assert.ok((await overflow()) <= 0, `intro at ${where}`);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Your name in this group").fill(`Wide ${options.viewport.width}`);
    await page.getByRole("button", { name: "Continue" }).click();
    assert.ok((await overflow()) <= 0, `rules at ${where}`);
    await page.getByLabel("I have read the ground rules").check();
    await page.getByRole("button", { name: "Join the group" }).click();
    await page.getByLabel("Message to the group").fill(`${"Unbreakable".repeat(40)} and a long line of ordinary words that wraps`);
    await page.keyboard.press("Enter");
    await page.locator("#messages li.mine").getByText("and a long line of ordinary words", { exact: false }).waitFor();
    assert.ok((await overflow()) <= 0, `room at ${where}`);
    await page.getByRole("button", { name: "Need help now?" }).click();
    assert.ok((await overflow()) <= 0, `help at ${where}`);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Leave" }).click();
    await context.close();
  }
});
