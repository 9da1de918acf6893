// The member journey, at desktop size (light scheme) and phone size (390×844, dark scheme) side
// by side: invite link → how this works → a name (a staff word is refused with the server's
// reason) → ground rules → waiting room with a countdown and the private line → admitted by a
// facilitator → the session (messages, reactions, turns, pinned announcement, private replies,
// report, "I need support now", crisis resources) → the closing screen. Every screen is
// screenshotted to docs/screenshots and checked with axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { staffContext, addAccount, createGroup, createInvite, watch, DESKTOP, PHONE } from "./lib/hearth.mjs";
import { screen, printFindings } from "./lib/a11y.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launch();
});

after(async () => {
  printFindings();
  await browser?.close();
  await server?.stop();
});

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? "");

test("a member goes from the invite link to the closing screen (desktop and phone)", async () => {
  const staff = await staffContext(browser, server);
  const group = await createGroup(staff, server, {
    name: "Thursday evening circle",
    description: "A weekly circle for people living with anxiety. Come as you are.",
    startsIn: 25,
  });
  await addAccount(staff, server, { username: "kim", displayName: "Kim" });
  const added = await staff.request.post(`${server.url}/api/groups/${group.id}/facilitators`, { data: { username: "kim" } });
  assert.ok(added.ok());
  const link = await createInvite(staff, server, group.id);

  // The facilitator enters the room from the group's page.
  const sam = await staff.newPage();
  const samWatch = watch(sam);
  await sam.goto(`${server.url}/console/groups/${group.id}`);
  await sam.getByRole("link", { name: "Enter the room" }).waitFor();
  await screen(sam, "console-group-desktop");
  await sam.getByRole("link", { name: "Enter the room" }).click();
  await sam.getByRole("heading", { name: "Room: Thursday evening circle" }).waitFor();
  await sam.getByText("Waiting room open.").waitFor();

  const sizes = [
    { size: "desktop", options: DESKTOP, name: "River" },
    { size: "phone", options: { ...PHONE, colorScheme: "dark" }, name: "Sky" },
  ];
  const [river, sky] = await Promise.all(
    sizes.map(async ({ size, options, name }) => {
      const context = await browser.newContext({ locale: "en-US", ...options });
      const page = await context.newPage();
      const w = watch(page);
      await page.goto(link);
      await page.getByRole("heading", { name: "Welcome to Thursday evening circle" }).waitFor();
      await page.getByText("No account, no email.").waitFor();
      await page.getByText(/^Next session: .+ \(your time\)\.$/).waitFor();
      await screen(page, `member-intro-${size}`);

      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByLabel("Your name in this group").fill("Moderator");
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("heading", { name: "Ground rules" }).waitFor();
      await page.getByText("What is shared here stays here.").waitFor();
      await screen(page, `member-rules-${size}`);
      await page.getByLabel("I have read the ground rules").check();
      await page.getByRole("button", { name: "Join the group" }).click();

      // The server refuses a staff word; its reason is shown and the name field has focus.
      await page.getByText("That name is kept for staff. Please choose another.").waitFor();
      assert.equal(await focusedId(page), "name-input");
      assert.equal(await page.getByLabel("Your name in this group").getAttribute("aria-invalid"), "true");
      await screen(page, `member-name-${size}`);
      await page.getByLabel("Your name in this group").fill(name);
      await page.getByRole("button", { name: "Continue" }).click();

      await page.getByRole("heading", { name: "You're in the waiting room" }).waitFor();
      const countdown = await page.locator("#countdown").textContent();
      assert.match(countdown, /^The session starts at .+, in \d+ minutes\.$/);
      await screen(page, `member-waiting-${size}`);
      return { size, context, page, w, name };
    }),
  );

  // The private line works from the waiting room.
  await river.page.getByRole("button", { name: "Write privately to the facilitators" }).click();
  assert.equal(await focusedId(river.page), "private-input");
  await river.page.getByLabel("Private message to the facilitators").fill("Is it all right if I mostly listen today?");
  await river.page.keyboard.press("Enter");
  await river.page.locator("#private-thread").getByText("Is it all right if I mostly listen today?").waitFor();
  await sam.getByRole("button", { name: /^River 1 new$/ }).waitFor();
  await river.page.getByRole("button", { name: "Close the private line" }).click();
  assert.equal(await river.page.evaluate(() => document.activeElement?.dataset.privateToggle), "");

  // The facilitator admits everyone with the A shortcut and opens the session.
  await sam.locator("#waiting-list").getByText("Sky").waitFor();
  await sam.getByRole("heading", { name: "Waiting room (2)" }).click();
  await sam.keyboard.press("a");
  await sam.getByRole("heading", { name: "Waiting room (0)" }).waitFor();
  await sam.getByRole("button", { name: "Open the session" }).click();
  await sam.getByText(/^Live until/).waitFor();

  // Both members land in the room with the focus on the message box.
  for (const m of [river, sky]) {
    await m.page.getByLabel("Message to the group").waitFor();
    await m.page.waitForFunction(() => document.activeElement?.id === "message-input");
  }

  await river.page.getByLabel("Message to the group").fill("Thank you for having me. Day 12 without a drink today.");
  await river.page.keyboard.press("Enter");
  await sky.page.locator("#messages").getByText("Day 12 without a drink today.").waitFor();
  await sky.page.getByRole("button", { name: "React to or report the message from River" }).click();
  await sky.page.getByRole("button", { name: "Hug" }).click();
  await river.page.getByRole("button", { name: /^Hug: 1 person\. Press to add yours$/ }).waitFor();
  await sky.page.getByLabel("Message to the group").fill("Welcome, River. Twelve days is a lot.");
  await sky.page.keyboard.press("Enter");
  await river.page.locator("#messages").getByText("Twelve days is a lot.").waitFor();

  // Hands: Sky first, then River; the facilitator calls on the next hand (N).
  await sky.page.getByRole("button", { name: "Raise hand" }).click();
  await sam.locator("#hands-list").getByText("Sky").waitFor();
  await river.page.getByRole("button", { name: "Raise hand" }).click();
  await river.page.getByText("Your hand is raised: you're number 2 in line.").waitFor();
  await sam.locator("#hands-list").getByText("River").waitFor();
  await sam.getByRole("heading", { name: "Chat" }).click();
  await sam.keyboard.press("n");
  await sky.page.locator("#messages").getByText("A facilitator invited you to share.").waitFor();
  await river.page.getByText("Your hand is raised: you're number 1 in line.").waitFor();
  await river.page.locator("#messages").getByText("A facilitator invited Sky to share.").waitFor();

  // A pinned announcement and a private reply.
  await sam.getByLabel("Pinned announcement").fill("Short break at 19:45. Water and tea are a good idea.");
  await sam.getByRole("button", { name: "Pin" }).click();
  await river.page.getByRole("complementary", { name: "Pinned announcement" }).getByText("Short break at 19:45.").waitFor();
  await sky.page.locator("#notices").getByText("Short break at 19:45.").waitFor();
  await sam.getByRole("button", { name: /^River/ }).click();
  await sam.getByLabel("Reply privately to River").fill("Of course. Listening is very welcome here.");
  await sam.keyboard.press("Enter");
  await river.page.getByRole("button", { name: "Write privately to the facilitators (1 new)" }).waitFor();

  await Promise.all([screen(river.page, "member-room-desktop"), screen(sky.page, "member-room-phone")]);

  // Crisis resources: one click from anywhere; Escape closes and focus returns.
  for (const m of [river, sky]) {
    await m.page.getByRole("button", { name: "Need help now?" }).click();
    const help = m.page.getByRole("dialog", { name: "If you need help now" });
    await help.getByText("988 Suicide & Crisis Lifeline").waitFor();
    // On a phone the line is one tap away: the numbers are tel:/sms: links.
    assert.equal(await help.getByRole("link", { name: "Call 988" }).first().getAttribute("href"), "tel:988");
    assert.match(await help.getByRole("link", { name: /^Text / }).first().getAttribute("href"), /^sms:\d+/);
    await screen(m.page, `member-crisis-${m.size}`);
    await m.page.keyboard.press("Escape");
    assert.equal(await m.page.evaluate(() => document.activeElement?.id), "help-button");
  }

  // Report: only the facilitators are told.
  await sky.page.getByRole("button", { name: "React to or report the message from River" }).click();
  await sky.page.getByRole("button", { name: "Report…" }).click();
  await sky.page.getByRole("dialog", { name: "Report a message" }).waitFor();
  await screen(sky.page, "member-report-phone");
  await sky.page.getByRole("button", { name: "Cancel" }).click();
  await river.page.getByRole("button", { name: "React to or report the message from Sky" }).click();
  await river.page.getByRole("button", { name: "Report…" }).click();
  await river.page.getByLabel("What's wrong?").selectOption("off_topic");
  await river.page.getByLabel("Anything the facilitators should know (optional)").fill("Not a big deal, just checking how this works.");
  await screen(river.page, "member-report-desktop");
  await river.page.getByRole("button", { name: "Send report" }).click();
  await river.page.locator("#messages").getByText("Thank you. The facilitators have your report.").waitFor();
  await sam.locator("#alerts-list").getByText("reported a message from").waitFor();

  // The private line in the room, and "I need support now".
  await river.page.getByRole("button", { name: "Write privately to the facilitators (1 new)" }).click();
  await river.page.locator("#private-thread").getByText("Listening is very welcome here.").waitFor();
  await screen(river.page, "member-private-desktop");
  await sky.page.getByRole("button", { name: "I need support now" }).click();
  await sky.page.getByText("The facilitators know you need support.").waitFor();
  await sky.page.getByRole("button", { name: "Close" }).click();
  await sky.page.getByRole("button", { name: "Write privately to the facilitators" }).click();
  await sky.page.getByLabel("Private message to the facilitators").fill("I'm OK. It has been a long week.");
  await sky.page.keyboard.press("Enter");
  await sky.page.locator("#private-thread").getByText("It has been a long week.").waitFor();
  await screen(sky.page, "member-private-phone");
  await sam.locator("#alerts-list").getByText("pressed “I need support now”").waitFor();

  // The console in the middle of it, and a co-facilitator on a phone (dark scheme).
  await sam.getByRole("button", { name: /^Sky/ }).click();
  await sam.getByText("It has been a long week.").waitFor();
  await sam.evaluate(() => {
    document.activeElement?.blur();
    for (const column of document.querySelectorAll(".col")) column.scrollTop = 0;
    window.scrollTo(0, 0);
  });
  await screen(sam, "console-room-desktop", { fullPage: true });
  await sam.getByRole("button", { name: "Actions for River" }).click();
  await sam.locator(".popover").getByRole("button", { name: "Call on River" }).waitFor();
  await screen(sam, "console-menu-desktop");
  await sam.keyboard.press("Escape");
  const kimContext = await staffContext(browser, server, { username: "kim", displayName: "Kim", options: { ...PHONE, colorScheme: "dark" } });
  const kim = await kimContext.newPage();
  const kimWatch = watch(kim);
  await kim.goto(`${server.url}/console/groups/${group.id}/room`);
  await kim.getByText("Short break at 19:45.", { exact: false }).first().waitFor();
  await kim.locator("#messages").getByText("Twelve days is a lot.").waitFor();
  await screen(kim, "console-room-phone");

  // The end: confirmation first, then everyone sees the closing screen and nothing is kept.
  await sam.getByRole("button", { name: "End the session…" }).click();
  await sam.getByRole("dialog", { name: "End the session for everyone?" }).waitFor();
  assert.equal(await sam.evaluate(() => document.activeElement?.textContent), "Cancel");
  await screen(sam, "console-end-desktop");
  await sam.getByRole("button", { name: "End the session", exact: true }).click();
  for (const m of [river, sky]) {
    await m.page.getByRole("heading", { name: "Thank you for being here" }).waitFor();
    assert.equal(await m.page.locator("#messages li").count(), 0);
    assert.equal(await m.page.locator("#private-thread li").count(), 0);
    assert.equal(await m.page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await m.page.getByText("Day 12 without a drink today.").count(), 0);
    await screen(m.page, `member-ended-${m.size}`);
  }
  await sam.getByRole("heading", { name: "The session has ended" }).waitFor();
  await kim.getByRole("heading", { name: "The session has ended" }).waitFor();

  for (const w of [samWatch, kimWatch, river.w, sky.w]) w.check();
  await Promise.all([staff.close(), kimContext.close(), river.context.close(), sky.context.close()]);
});
