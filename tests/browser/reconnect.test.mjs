// Connections drop; members do not lose their place. A dropped socket comes back to the same seat
// (same participant, same hand in the queue) with what was said meanwhile; going offline is said in
// words; a second tab takes the seat over and the first says so; a server restart (1001) is waited
// out and the member is seated again. Never a silent dead screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { joinAsMember, watch, DESKTOP, PHONE } from "./lib/hearth.mjs";
import { screen, printFindings } from "./lib/a11y.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  printFindings();
  await browser?.close();
  await server?.stop();
});

const messages = (page) => page.locator("#messages");

async function say(page, text) {
  await page.getByLabel("Message to the group").fill(text);
  await page.keyboard.press("Enter");
}

test("a dropped connection comes back to the same seat, with the hand and the missed messages", async () => {
  const riverContext = await browser.newContext({ locale: "en-US", ...DESKTOP });
  const river = await riverContext.newPage();
  const riverWatch = watch(river);
  // Route the socket through the test, so it can be cut like a network failure would.
  const sockets = [];
  await river.routeWebSocket(/\/ws$/, (ws) => {
    const upstream = ws.connectToServer();
    sockets.push({ ws, upstream });
  });
  await joinAsMember(river, server.joinLink, "River");
  const skyContext = await browser.newContext({ locale: "en-US", ...PHONE });
  const sky = await joinAsMember(await skyContext.newPage(), server.joinLink, "Sky");

  await say(river, "Before the drop");
  await messages(sky).getByText("Before the drop").waitFor();
  await river.getByRole("button", { name: "Raise hand" }).click();
  await river.getByText("Your hand is raised: you're number 1 in line.").waitFor();

  // Cut the connection on both sides, without a goodbye.
  const { ws, upstream } = sockets.at(-1);
  await upstream.close({ code: 1000 });
  await ws.close({ code: 4001, reason: "no response from client" });
  await river.locator("#connection-text").getByText("Connection lost. Reconnecting…").waitFor();
  await messages(sky).getByText("River lost their connection. Their seat is kept.").waitFor();

  // While disconnected, a message is not sent, says why, and stays in the box.
  await say(river, "Typed while offline");
  await river.locator("#composer-error").getByText("You're not connected right now.", { exact: false }).waitFor();
  assert.equal(await river.getByLabel("Message to the group").inputValue(), "Typed while offline");
  await say(sky, "Said while River was away");

  // Back in the same seat: the same hand position, the earlier message still River's own, and
  // what was said meanwhile.
  await messages(river).getByText("Said while River was away").waitFor({ timeout: 15000 });
  assert.ok(sockets.length >= 2, "the client opened a new socket");
  await messages(sky).getByText("River is back.").waitFor();
  await river.getByText("Your hand is raised: you're number 1 in line.").waitFor();
  assert.equal(await river.locator("#messages li.mine").getByText("Before the drop").count(), 1);
  assert.equal(await sky.locator("#roster li").filter({ hasText: "River" }).count(), 1, "one seat, not two");
  await river.getByRole("button", { name: "Send" }).click();
  await messages(sky).getByText("Typed while offline").waitFor();
  assert.equal(await river.locator("#connection-text").textContent(), "");

  riverWatch.check();
  await Promise.all([riverContext.close(), skyContext.close()]);
});

test("going offline is said in words, and coming back online reconnects at once", async () => {
  const context = await browser.newContext({ locale: "en-US", ...PHONE, colorScheme: "dark" });
  const page = await joinAsMember(await context.newPage(), server.joinLink, "Robin");
  const otherContext = await browser.newContext(DESKTOP);
  const other = await joinAsMember(await otherContext.newPage(), server.joinLink, "Jules");

  await context.setOffline(true);
  await page.locator("#connection-text").getByText("You seem to be offline. We'll reconnect as soon as the network is back.").waitFor();
  await page.locator("#retry-button").waitFor();
  assert.equal(await page.locator("#connection-count").textContent(), "", "no countdown while offline");
  await screen(page, "member-offline-phone");
  await say(other, "Hello from the other side");
  await context.setOffline(false);
  await messages(page).getByText("Hello from the other side").waitFor({ timeout: 15000 });
  await page.locator("#announcer").getByText("Reconnected.").waitFor();
  await Promise.all([context.close(), otherContext.close()]);
});

test("a second tab takes the seat over; the first says so and can take it back", async () => {
  const context = await browser.newContext({ locale: "en-US", ...DESKTOP });
  const first = await joinAsMember(await context.newPage(), server.joinLink, "Morgan");
  await say(first, "Written in the first tab");
  const token = await first.evaluate(() => sessionStorage.getItem("hearth.resume"));
  assert.ok(token, "the resume token is kept in sessionStorage");
  assert.equal(await first.evaluate(() => sessionStorage.length), 1, "and nothing else");
  assert.equal(await first.evaluate(() => localStorage.length), 0);

  // A duplicated tab carries a copy of sessionStorage.
  const second = await context.newPage();
  await second.addInitScript((value) => sessionStorage.setItem("hearth.resume", value), token);
  await second.goto(server.joinLink);
  await messages(second).getByText("Written in the first tab").waitFor();
  await first.getByRole("heading", { name: "This chat is open somewhere else" }).waitFor();
  await screen(first, "member-othertab-desktop");

  await first.getByRole("button", { name: "Use this tab instead" }).click();
  await messages(first).getByText("Written in the first tab").waitFor();
  await second.getByRole("heading", { name: "This chat is open somewhere else" }).waitFor();
  await context.close();
});

test("a server restart (1001) is waited out, in words, and the member is seated again", async () => {
  const context = await browser.newContext({ locale: "en-US", ...DESKTOP });
  const page = await joinAsMember(await context.newPage(), server.joinLink, "Alex");
  const pageWatch = watch(page);
  const restarting = server.restart({ pause: 1500 });
  await page.locator("#connection-text").getByText("The server is restarting. We'll reconnect you in a moment.").waitFor();
  await screen(page, "member-reconnecting-desktop");
  server = await restarting;
  // The old seat is gone with the old process; the name comes back with the invite.
  await page.locator("#announcer").getByText("Reconnected.").waitFor({ timeout: 20000 });
  assert.equal(await page.locator("#connection-text").textContent(), "");
  await page.getByRole("region", { name: /^Here now/ }).getByText("Alex").waitFor();
  await say(page, "Still here");
  await messages(page).getByText("Still here").waitFor();
  pageWatch.check();
  await context.close();
});
