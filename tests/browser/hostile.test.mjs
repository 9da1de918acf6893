// Hostile text as names and messages renders as plain text, under the server's real CSP: no
// dialog opens, no script runs (every payload would call a trap), no CSP violation is reported,
// and no element is made from it. Names the server refuses (direction-changing or invisible
// characters, staff words, contact details, too long) show the server's sentence instead.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch } from "./lib/browser.mjs";
import { joinAsMember, watch, DESKTOP } from "./lib/hearth.mjs";

let server;
let browser;

before(async () => {
  // Lift the chat rate limit: this test sends many messages quickly on purpose.
  server = await startServer({ args: ["--rate-burst", "200", "--rate-per-minute", "6000"] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Each payload calls pwn() if it ever runs.
const HOSTILE = [
  "<script>pwn()</script>",
  "<img src=x onerror=pwn()>",
  "<svg onload=pwn()>",
  "<svg><script>pwn()</script></svg>",
  '"><script>pwn()</script>',
  "'><img src=x onerror=pwn()>",
  '<iframe src="javascript:pwn()">',
  '<a href="javascript:pwn()">open</a>',
  "javascript:pwn()",
  "<body onload=pwn()>",
  "<details open ontoggle=pwn()>",
  "<input autofocus onfocus=pwn()>",
  "<marquee onstart=pwn()>x",
  '<div style="x:expression(pwn())">',
  "{{constructor.constructor('pwn()')()}}",
  "${pwn()}",
  "<%= pwn() %>",
  "{{7*7}} #{7*7} [[7*7]]",
  '<object data="javascript:pwn()">',
  "<style>*{background:url(javascript:pwn())}</style>",
  "<link rel=import href=javascript:pwn()>",
  "</textarea><script>pwn()</script>",
  "</li></ol><img src=x onerror=pwn()>",
  "&lt;script&gt;pwn()&lt;/script&gt;",
  "&#60;img src=x onerror=pwn()&#62;",
  "<scr<script>ipt>pwn()</scr</script>ipt>",
  '" onmouseover="pwn()" x="',
  "<math><mtext><img src=x onerror=pwn()>",
  "<!--<img src=x onerror=pwn()>-->",
  "<![CDATA[<script>pwn()</script>]]>",
  "\u202Eevil\u202C name",
  "\u2067right\u2069 to left",
  "zero\u200Bwidth\u200Djoin",
  "\uFEFFbyte order mark",
  "مريم",
  "Z̷̢͉a̵͈l̶̰g̴̝o̸̟",
  `Supercalifragilisticexpialidocious${"x".repeat(300)}`,
  `${"word ".repeat(300)}`.trim(),
  "data:text/html,<script>pwn()</script>",
  "<base href=javascript:pwn()//>",
];

const REFUSALS = [
  "Names cannot contain invisible or direction-changing characters. Please type it plainly.",
  "Names cannot contain line breaks or control characters.",
  "That name is too long. Please use at most 32 characters.",
  "That name is kept for staff. Please choose another.",
  "Names cannot contain contact details such as phone numbers, emails or social handles.",
  "Someone here already uses that name (or one that looks just like it). Please choose another.",
];

const TRAPS = () => {
  window.__pwned = 0;
  window.pwn = () => {
    window.__pwned += 1;
  };
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__csp.push(`${event.violatedDirective} ${event.blockedURI}`);
  });
};

const normalizeName = (name) => name.normalize("NFKC").trim().split(/\s+/).join(" ");

async function untouched(page, label) {
  const report = await page.evaluate(() => ({
    pwned: window.__pwned,
    csp: window.__csp,
    // Where user text is shown, only the client's own elements may exist.
    made: [...document.querySelectorAll("#messages, #roster, #hands, #private-thread, #notices, #announcer, #top-group, #room-heading")]
      .flatMap((box) => [...box.querySelectorAll("*")])
      .filter((el) => !["LI", "P", "SPAN", "BDI", "TIME", "DIV", "BUTTON", "ASIDE"].includes(el.tagName)).length,
  }));
  assert.deepEqual(report, { pwned: 0, csp: [], made: 0 }, label);
}

test(`${HOSTILE.length} hostile strings as names and messages stay plain text`, async () => {
  assert.ok(HOSTILE.length >= 30);
  const context = await browser.newContext({ locale: "en-US", ...DESKTOP });
  await context.addInitScript(TRAPS);
  const observer = await joinAsMember(await context.newPage(), server.joinLink, "Observer");
  const observerWatch = watch(observer);

  // Names: five pages share the list; each joins, writes the next payload as a message, leaves.
  // The name field takes at most 32 characters (maxlength), as the server does.
  const names = HOSTILE.filter((s) => s.length <= 32);
  const messages = [...HOSTILE];
  const outcomes = [];
  // One context per worker: a page in the background of a shared window is throttled.
  const workers = Array.from({ length: 5 }, async (_, worker) => {
    const own = await browser.newContext({ locale: "en-US", ...DESKTOP });
    await own.addInitScript(TRAPS);
    const page = await own.newPage();
    const w = watch(page);
    for (let i = worker; i < names.length; i += 5) {
      const name = names[i];
      if (i < 5) await page.goto(server.joinLink);
      else {
        await page.getByRole("button", { name: "Join again" }).click();
      }
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByLabel("Your name in this group").fill(name);
      await page.getByRole("button", { name: "Continue" }).click();
      if (await page.getByRole("heading", { name: "Ground rules" }).isVisible()) {
        await page.getByLabel("I have read the ground rules").check();
        await page.getByRole("button", { name: "Join the group" }).click();
      }
      const seated = page.getByLabel("Message to the group");
      const refused = page.locator("#name-error:not(:empty)");
      await seated.or(refused).first().waitFor();
      if (await refused.isVisible()) {
        // A refusal by the server shows its sentence (or the client's own for an empty name).
        const sentence = await refused.textContent();
        assert.ok(REFUSALS.includes(sentence) || sentence.startsWith("That name is too long"), `${JSON.stringify(name)} refused with ${sentence}`);
        outcomes.push({ name, refused: sentence });
        await page.getByLabel("Your name in this group").fill(`Plain ${worker}${i}`);
        await page.getByRole("button", { name: "Continue" }).click();
        await seated.waitFor();
      } else {
        outcomes.push({ name, seated: true });
        // The observer sees exactly the (normalized) name, in <bdi>.
        await observer.waitForFunction(
          (want) => [...document.querySelectorAll("#roster .name")].some((n) => n.tagName === "BDI" && n.textContent === want),
          normalizeName(name),
          { polling: 100 },
        );
      }
      // Everyone seated sends the payloads on the list as messages.
      for (let j = i; j < messages.length; j += names.length) {
        await page.getByLabel("Message to the group").fill(messages[j]);
        await page.keyboard.press("Enter");
        const text = messages[j].trim();
        const echoed = page.locator("#messages li.message.mine .text").filter({ hasText: text.slice(0, 60) });
        const notSent = page.locator("#composer-error:not(:empty)");
        await echoed.first().or(notSent).first().waitFor();
        const delivered = observer.locator("#messages li.message .text").filter({ hasText: text.slice(0, 60) });
        if (await notSent.isVisible()) {
          outcomes.push({ message: text, notSent: await notSent.textContent() });
          assert.match(await notSent.textContent(), /^Not sent: /);
          await page.getByLabel("Message to the group").fill("");
        } else {
          await delivered.first().waitFor();
          const shownText = await delivered.evaluateAll((nodes, want) => nodes.some((n) => n.textContent === want), text);
          assert.ok(shownText, `message shown as typed: ${JSON.stringify(text.slice(0, 40))}`);
        }
      }
      await untouched(page, `after ${JSON.stringify(name)}`);
      await page.getByRole("button", { name: "Leave" }).click();
      await page.getByRole("heading", { name: "You've left the group" }).waitFor();
    }
    w.check();
    await own.close();
  });
  await Promise.all(workers);

  // Names with direction-changing or invisible characters are refused by the server, in words.
  // (A leading byte-order mark is trimmed away by the client like any other white space.)
  for (const name of ["\u202Eevil\u202C name", "\u2067right\u2069 to left", "zero\u200Bwidth\u200Djoin"]) {
    assert.equal(outcomes.find((o) => o.name === name)?.refused, REFUSALS[0], JSON.stringify(name));
  }
  // Most payloads were seated as names, and every message reached the observer or said why not.
  assert.ok(outcomes.filter((o) => o.seated).length >= 20, JSON.stringify(outcomes, null, 1));
  const refused = outcomes.filter((o) => o.refused);
  const notSent = outcomes.filter((o) => o.notSent);
  console.log(
    `hostile: ${names.length} names tried (${outcomes.filter((o) => o.seated).length} seated, ${refused.length} refused by the server), ` +
      `${messages.length} messages (${messages.length - notSent.length} delivered as plain text, ${notSent.length} refused: ${notSent.map((o) => o.notSent).join(" | ")})`,
  );
  await untouched(observer, "observer");
  // The observer saw every hostile name in <bdi>, and no message made an element.
  assert.equal(await observer.locator("#messages .text *").count(), 0);
  assert.equal(await observer.locator("#messages .name").evaluateAll((nodes) => nodes.every((n) => n.tagName === "BDI")), true);
  observerWatch.check();
  await context.close();
});
