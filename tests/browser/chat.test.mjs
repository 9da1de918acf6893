// Two people join the demo group from the printed link and see each other's messages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { joinAsMember } from "./lib/hearth.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function joinAs(context, name) {
  const page = await context.newPage();
  await joinAsMember(page, server.joinLink, name);
  await page.getByRole("heading", { name: "Demo group" }).waitFor();
  return page;
}

test("two members in separate browsers see each other's messages", async () => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const river = await joinAs(first, "River");
  const sky = await joinAs(second, "Sky");

  await river.getByLabel("Message to the group").fill("Hello from River");
  await river.getByLabel("Message to the group").press("Enter");
  await sky.locator("#messages").getByText("Hello from River").waitFor();

  await sky.getByLabel("Message to the group").fill("Hi River, Sky here");
  await sky.getByRole("button", { name: "Send" }).click();
  await river.locator("#messages").getByText("Hi River, Sky here").waitFor();

  const roster = river.getByRole("region", { name: /^Here now/ });
  await roster.getByText("Sky").waitFor();
  assert.equal(await river.getByLabel("Message to the group").inputValue(), "");
  await first.close();
  await second.close();
});
