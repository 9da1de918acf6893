// Facilitated sessions in real browsers (issue 5): the facilitator admits members from the waiting
// room, hands go up, a mute is told to the member (who cannot post, but can still write
// privately), the session ends for everyone; removal and ban have their own screens; leaving is one
// click and leaves nothing behind.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { staffContext, createGroup, createInvite, joinAsMember, watch, DESKTOP, PHONE } from "./lib/hearth.mjs";
import { screen, printFindings } from "./lib/a11y.mjs";

let server;
let browser;
let staff;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launch();
  staff = await staffContext(browser, server);
});

after(async () => {
  printFindings();
  await browser?.close();
  await server?.stop();
});

async function member(size, name, link) {
  const options = size === "phone" ? { ...PHONE, colorScheme: "dark" } : DESKTOP;
  const context = await browser.newContext({ locale: "en-US", ...options });
  const page = await context.newPage();
  const w = watch(page);
  await joinAsMember(page, link, name, { expect: "waiting" });
  return { context, page, w, size, name };
}

async function enterRoom(groupId) {
  const page = await staff.newPage();
  const w = watch(page);
  await page.goto(`${server.url}/console/groups/${groupId}/room`);
  await page.getByText("Waiting room open.").waitFor();
  return { page, w };
}

const messages = (page) => page.locator("#messages");

test("a facilitator admits two members, a hand goes up, a muted member cannot post, the end reaches both", async () => {
  const group = await createGroup(staff, server, { name: "Monday grief circle", startsIn: 20 });
  const link = await createInvite(staff, server, group.id);
  const { page: sam, w: samWatch } = await enterRoom(group.id);
  const [river, sky] = await Promise.all([member("desktop", "River", link), member("phone", "Sky", link)]);

  // Admitted one by one, from the waiting room list.
  await sam.getByRole("button", { name: "Admit River" }).click();
  await river.page.getByLabel("Message to the group").waitFor();
  await sam.getByRole("button", { name: "Admit Sky" }).click();
  await sky.page.getByLabel("Message to the group").waitFor();
  await river.page.getByText("The session hasn't started yet. You can post once the facilitator opens it.").waitFor();
  await sam.getByRole("button", { name: "Open the session" }).click();
  await river.page.getByText(/^The session is on until/).waitFor();

  // A hand goes up; everyone sees the queue.
  await sky.page.getByRole("button", { name: "Raise hand" }).click();
  await sky.page.locator('#hand-button[aria-pressed="true"]').waitFor();
  await sam.locator("#hands-list").getByText("Sky").waitFor();
  await river.page.locator("#hands").getByText("Sky").waitFor();

  // The facilitator mutes River for 5 minutes, with a reason.
  await river.page.getByLabel("Message to the group").fill("Before the mute");
  await river.page.keyboard.press("Enter");
  await messages(sky.page).getByText("Before the mute").waitFor();
  await sam.getByRole("button", { name: "Actions for River" }).click();
  await sam.getByLabel("Mute for").selectOption("5");
  await sam.getByLabel("Reason (kept in the audit log)").selectOption("disrespect");
  await sam.getByRole("button", { name: "Mute", exact: true }).click();
  await sam.locator("#people-list").getByText(/^muted until/).waitFor();
  await messages(sam).getByText(/muted River for 5 minutes \(disrespectful or hurtful\)/).waitFor();

  // River is told, in words, until when and why; posting is refused and the words are kept.
  const notice = river.page.locator("#muted-notice");
  await notice.waitFor();
  assert.match(await notice.textContent(), /paused your messages until .+ \(5 minutes\), because of: disrespectful or hurtful\. You can still write privately/);
  await river.page.getByLabel("Message to the group").fill("Can anyone hear me?");
  await river.page.keyboard.press("Enter");
  await river.page.locator("#composer-error").getByText(/^Not sent: A facilitator has paused your messages/).waitFor();
  assert.equal(await river.page.getByLabel("Message to the group").inputValue(), "Can anyone hear me?");
  assert.equal(await river.page.getByRole("button", { name: "Send" }).getAttribute("aria-disabled"), "true");
  await screen(river.page, "member-muted-desktop");
  // The private line stays open while muted.
  await river.page.getByRole("button", { name: "Write privately to the facilitators" }).click();
  await river.page.getByLabel("Private message to the facilitators").fill("Sorry, I got carried away.");
  await river.page.keyboard.press("Enter");
  await sam.getByRole("button", { name: /^River 1 new$/ }).waitFor();
  // A reload of the console loses nothing: the private line comes back from the server.
  await sam.reload();
  await sam.locator(".feedback").getByText("1 earlier private message or alert from this session restored.").waitFor();
  await sam.getByRole("button", { name: /^River 1 new$/ }).click();
  await sam.locator("#threads").getByText("Sorry, I got carried away.").waitFor();
  // River's attempt was refused before Sky posts, and the room delivers in order: once Sky sees
  // her own later message, the muted one would already be on her screen if it had been sent.
  await sky.page.getByLabel("Message to the group").fill("Still here, just listening.");
  await sky.page.keyboard.press("Enter");
  await messages(sky.page).getByText("Still here, just listening.").waitFor();
  assert.equal(await messages(sky.page).getByText("Can anyone hear me?").count(), 0, "a muted message never reaches others");
  assert.equal(await sky.page.locator("#muted-notice").count(), 0, "other members are not told about a mute");

  // The end: both members see the closing screen; nothing stays on the page or in storage.
  await sam.getByRole("button", { name: "End the session…" }).click();
  await sam.getByRole("button", { name: "End the session", exact: true }).click();
  for (const m of [river, sky]) {
    await m.page.getByRole("heading", { name: "Thank you for being here" }).waitFor();
    assert.equal(await m.page.locator("#messages li").count(), 0);
    assert.equal(await m.page.evaluate(() => sessionStorage.length), 0);
  }
  await sam.getByRole("heading", { name: "The session has ended" }).waitFor();
  for (const w of [samWatch, river.w, sky.w]) w.check();
  await Promise.all([river.context.close(), sky.context.close(), sam.close()]);
});

test("removal and ban each have their own screen, and a banned browser cannot come back", async () => {
  const group = await createGroup(staff, server, { name: "Wednesday recovery group", startsIn: 20 });
  const link = await createInvite(staff, server, group.id);
  const { page: sam, w: samWatch } = await enterRoom(group.id);
  const [wren, ash, lee] = await Promise.all([member("phone", "Wren", link), member("desktop", "Ash", link), member("phone", "Lee", link)]);
  await sam.getByRole("button", { name: "Admit everyone" }).click();
  await sam.getByRole("button", { name: "Open the session" }).click();
  for (const m of [wren, ash, lee]) await m.page.getByLabel("Message to the group").waitFor();

  await sam.getByRole("button", { name: "Actions for Wren" }).click();
  await sam.getByLabel("Reason (kept in the audit log)").selectOption("harassment");
  await sam.getByRole("button", { name: "Remove from this session" }).click();
  await wren.page.getByRole("heading", { name: "You were asked to leave this session" }).waitFor();
  await wren.page.getByText("The reason given: harassment or unwanted attention.").waitFor();
  assert.equal(await wren.page.evaluate(() => sessionStorage.length), 0);
  await screen(wren.page, "member-removed-phone");

  await sam.getByRole("button", { name: "Actions for Ash" }).click();
  await sam.getByLabel("Reason (kept in the audit log)").selectOption("spam");
  await sam.getByRole("button", { name: "Ban from the group…" }).click();
  await sam.getByRole("dialog", { name: "Ban Ash from the group?" }).waitFor();
  await sam.getByRole("button", { name: "Ban", exact: true }).click();
  await ash.page.getByRole("heading", { name: "You can't rejoin this group" }).waitFor();
  await ash.page.getByText("The reason given: spam.").waitFor();
  await screen(ash.page, "member-banned-desktop");

  // The same browser tries again from the link: refused, with the server's words.
  await ash.page.goto("about:blank");
  await joinAsMember(ash.page, link, "Ash again", { expect: null });
  await ash.page.getByText("A facilitator has asked that you not rejoin this group.").waitFor();

  // Leaving: one click, and the page keeps nothing.
  await lee.page.getByLabel("Message to the group").fill("I need to go, thank you all.");
  await lee.page.keyboard.press("Enter");
  await messages(sam).getByText("I need to go, thank you all.").waitFor();
  await lee.page.getByRole("button", { name: "Leave" }).click();
  await lee.page.getByRole("heading", { name: "You've left the group" }).waitFor();
  assert.equal(await lee.page.locator("#messages li").count(), 0);
  assert.equal(await lee.page.evaluate(() => sessionStorage.length), 0);
  await messages(sam).getByText("Lee left.").waitFor();
  await screen(lee.page, "member-left-phone");

  // The group's records: the audit log names seats and reasons (never words), and the ban can be
  // lifted, after which the same browser may join again.
  // (Not watched: lifting a ban asks for confirmation with the browser's own dialog.)
  const records = await staff.newPage();
  await records.goto(`${server.url}/console/groups/${group.id}`);
  const audit = records.getByRole("table", { name: "Audit log" });
  await audit.getByText("removed a member").waitFor();
  await audit.getByText("banned a member").waitFor();
  await audit.getByText("harassment").first().waitFor();
  assert.ok(!(await audit.textContent()).includes("I need to go"), "the audit log holds no words");
  records.once("dialog", (dialog) => dialog.accept());
  await records.getByRole("button", { name: /^Lift the ban of / }).click();
  await records.getByText("Nobody is banned.").waitFor();
  await screen(records, "console-records-desktop");
  await ash.page.goto("about:blank");
  await joinAsMember(ash.page, link, "Ash again", { expect: null });
  await ash.page.getByRole("heading", { name: /^(You're in the waiting room|Wednesday recovery group)$/ }).waitFor();

  for (const w of [samWatch, wren.w, ash.w, lee.w]) w.check();
  await Promise.all([wren.context.close(), ash.context.close(), lee.context.close(), sam.close(), records.close()]);
});

test("session controls, deletion and the alerts reach the right people (closing, pause, slow mode, lock, contact details, crisis words)", async () => {
  // A session that started 41 minutes ago and lasts 45: once opened, it is already closing.
  const group = await createGroup(staff, server, { name: "Late evening group", startsIn: -41, minutes: 45 });
  const link = await createInvite(staff, server, group.id);
  const page = await staff.newPage();
  const samWatch = watch(page);
  await page.goto(`${server.url}/console/groups/${group.id}/room`);
  await page.getByRole("heading", { name: "Room: Late evening group" }).waitFor();
  const sam = page;
  const jo = await member("phone", "Jo", link);
  const max = await member("desktop", "Max", link);
  await sam.getByRole("button", { name: "Admit everyone" }).click();
  await sam.getByRole("button", { name: "Open the session" }).click();
  await sam.getByText(/^Closing: the session ends at/).waitFor();
  await jo.page.locator("#notices").getByText(/^The session is closing: it ends at .+\. A good moment for anything you'd still like to say\.$/).waitFor();

  // Contact details are stopped; the sender is told what and why; the facilitators see a masked copy.
  await max.page.getByLabel("Message to the group").fill("Text me at 555 201 7788 after this");
  await max.page.keyboard.press("Enter");
  await max.page.locator("#composer-error").getByText(/^Not sent: /).waitFor();
  await max.page.locator("#messages .unsent").getByText("Text me at 555 201 7788 after this").waitFor();
  await sam.locator("#alerts-list").getByText("tried to share contact details (stopped)", { exact: false }).waitFor();
  assert.equal(await sam.locator("#alerts-list").getByText("555 201 7788").count(), 0, "the facilitators see it masked");

  // Crisis words: the member gets a private, gentle note; the facilitators a quiet alert.
  await jo.page.getByLabel("Message to the group").fill("Honestly some days I want to die.");
  await jo.page.keyboard.press("Enter");
  await jo.page.locator("#messages").getByText("Something you wrote sounded heavy.", { exact: false }).waitFor();
  await sam.locator("#alerts-list").getByText("words suggest they may be in danger", { exact: false }).waitFor();
  await max.page.locator("#messages").getByText("Honestly some days I want to die.").waitFor();
  assert.equal(await max.page.getByText("Something you wrote sounded heavy.", { exact: false }).count(), 0, "only the writer is told");

  // Delete a message: it leaves every screen.
  await max.page.getByLabel("Message to the group").fill("This one will be deleted");
  await max.page.keyboard.press("Enter");
  await jo.page.locator("#messages").getByText("This one will be deleted").waitFor();
  await sam.getByRole("button", { name: "Actions for the message from Max" }).last().click();
  await sam.getByLabel("Reason (kept in the audit log)").selectOption("off_topic");
  await sam.getByRole("button", { name: "Delete the message" }).click();
  await jo.page.locator("#messages").getByText("A facilitator removed a message.").waitFor();
  assert.equal(await jo.page.locator("#messages").getByText("This one will be deleted").count(), 0);

  // Pause, slow mode, lock: each is told to members in words.
  await sam.getByRole("button", { name: "Pause the chat" }).click();
  await jo.page.locator("#notices").getByText("The facilitator has paused the chat for a moment.", { exact: false }).waitFor();
  await jo.page.getByLabel("Message to the group").fill("During the pause");
  await jo.page.keyboard.press("Enter");
  await jo.page.locator("#composer-error").getByText("Not sent: The facilitator has paused the chat", { exact: false }).waitFor();
  await sam.getByRole("button", { name: "Resume the chat" }).click();
  await jo.page.locator("#notices").getByText("paused the chat", { exact: false }).waitFor({ state: "detached" });
  await jo.page.getByRole("button", { name: "Send" }).click();
  await max.page.locator("#messages").getByText("During the pause").waitFor();
  await sam.getByLabel("Slow mode").selectOption("30");
  await jo.page.locator("#notices").getByText("Slow mode is on: one message every 30 seconds, to give everyone room.").waitFor();
  await jo.page.getByLabel("Message to the group").fill("Too soon");
  await jo.page.keyboard.press("Enter");
  await jo.page.locator("#composer-error").getByText(/^Not sent: You can post again in \d+ seconds\.$/).waitFor();
  await sam.getByRole("button", { name: "Lock the room" }).click();
  await jo.page.locator("#notices").getByText("The room is closed to new arrivals for now.").waitFor();
  await screen(jo.page, "member-notices-phone");
  const late = await browser.newContext({ locale: "en-US", ...DESKTOP });
  const latePage = await joinAsMember(await late.newPage(), link, "Late", { expect: null });
  await latePage.getByRole("heading", { name: "You can't join right now" }).waitFor();
  await latePage.getByText("The room is closed to new arrivals right now. Please ask your facilitator.").waitFor();
  await sam.getByRole("button", { name: "Unlock the room" }).click();
  await latePage.getByRole("button", { name: "Try again" }).click();
  await latePage.getByRole("heading", { name: "You're in the waiting room" }).waitFor();

  // Unmute from the member's menu.
  await sam.getByRole("button", { name: "Actions for Max" }).click();
  await sam.getByRole("button", { name: "Mute", exact: true }).click();
  await max.page.locator("#muted-notice").waitFor();
  await sam.getByRole("button", { name: "Actions for Max" }).click();
  await sam.getByRole("button", { name: "Unmute" }).click();
  await max.page.locator("#messages").getByText("You can post again.").waitFor();
  assert.equal(await max.page.locator("#muted-notice").count(), 0);

  for (const w of [samWatch, jo.w, max.w]) w.check();
  await Promise.all([jo.context.close(), max.context.close(), late.close(), sam.close()]);
});
