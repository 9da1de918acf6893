// The client's source keeps its promises: no HTML built from strings, no eval, no inline script,
// style or event handlers (the CSP would block them anyway; this keeps them from being written),
// links to other sites only with rel="noopener noreferrer", and every string in one module per app.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const client = resolve(here, "../../web-client");

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const all = files(client);
const text = (path) => readFileSync(path, "utf8");
const scripts = all.filter((p) => p.endsWith(".js"));
const pages = all.filter((p) => p.endsWith(".html"));
const styles = all.filter((p) => p.endsWith(".css"));

function hits(paths, pattern) {
  const found = [];
  for (const path of paths) {
    text(path)
      .split("\n")
      .forEach((line, i) => {
        if (pattern.test(line)) found.push(`${relative(client, path)}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

test("no HTML is built from strings and nothing is evaluated", () => {
  assert.ok(scripts.length >= 8, "the client's scripts were found");
  for (const pattern of [/\binnerHTML\b/, /\bouterHTML\b/, /\binsertAdjacentHTML\b/, /\bdocument\.write(ln)?\b/, /\beval\s*\(/, /\bnew\s+Function\b/, /\bcreateContextualFragment\b/, /\bDOMParser\b/, /\bsetTimeout\s*\(\s*["'`]/, /\bsetInterval\s*\(\s*["'`]/]) {
    assert.deepEqual(hits([...scripts, ...pages], pattern), [], String(pattern));
  }
});

test("no inline script, inline style or inline event handler in the pages", () => {
  assert.ok(pages.length >= 4);
  assert.deepEqual(hits(pages, /\son[a-z]+\s*=/i), [], "inline event handlers");
  assert.deepEqual(hits(pages, /\sstyle\s*=/i), [], "style attributes");
  assert.deepEqual(hits(pages, /<style\b/i), [], "style elements");
  assert.deepEqual(hits(pages, /javascript:/i), [], "javascript: URLs");
  for (const page of pages) {
    for (const [, attributes] of text(page).matchAll(/<script\b([^>]*)>/gi)) {
      assert.match(attributes, /\ssrc="\/[a-z-]+\.js"/, `${relative(client, page)}: every script is a file`);
    }
  }
  // Scripts do not set style attributes or inline handlers either.
  assert.deepEqual(hits(scripts, /setAttribute\(\s*["'](style|on[a-z]+)["']/), [], "style or handlers set as attributes");
  assert.deepEqual(hits(scripts, /\.style\.cssText|\.style\s*=/), [], "inline styles from scripts");
  assert.deepEqual(hits(styles, /@import\s+url\(\s*["']?https?:/), [], "no external stylesheets");
});

test("links to other sites open safely, and only https resource links are made", () => {
  for (const page of pages) {
    for (const [anchor] of text(page).matchAll(/<a\b[^>]*target="_blank"[^>]*>/gi)) {
      assert.match(anchor, /rel="noopener noreferrer"/, anchor);
    }
  }
  const app = text(join(client, "app.js"));
  assert.match(app, /rel: "noopener noreferrer", target: "_blank"/);
  assert.match(text(join(client, "dom.js")), /parsed\.protocol === "https:"/);
});

test("every user-facing sentence lives in one strings module per app", () => {
  // Static pages of the member app carry no text of their own: strings.js fills them.
  const index = text(join(client, "index.html")).replace(/<title>[^<]*<\/title>/, "");
  const body = index.slice(index.indexOf("<body"));
  const leftover = [...body.matchAll(/>([^<>]*[A-Za-z][^<>]*)</g)].map((m) => m[1].trim()).filter((t) => t && t !== "Hearth");
  assert.deepEqual(leftover, [], "text in index.html");
  // The modules have no duplicate keys (a later one would silently replace an earlier one).
  for (const module of ["strings.js", "console-strings.js"]) {
    const source = text(join(client, module));
    for (const block of source.split(/^export const /m).slice(1)) {
      const keys = [...block.matchAll(/^ {2}([A-Za-z_][A-Za-z0-9_]*):/gm)].map((m) => m[1]);
      const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i);
      assert.deepEqual(duplicates, [], `${module}: duplicate keys`);
    }
  }
  // The member client and the live room take their sentences from their modules: no string
  // literal with a sentence in it (a capital letter, a space and a word) in their logic.
  for (const module of ["app.js", "console-room.js", "chatlog.js", "connection.js", "popover.js", "dom.js"]) {
    const code = text(join(client, module))
      .split("\n")
      .filter((line) => !line.trim().startsWith("//"))
      .join("\n");
    const sentences = [...code.matchAll(/(["'`])([A-Z][a-z]+ [a-z][^"'`]*)\1/g)].map((m) => m[2]);
    assert.deepEqual(sentences, [], `${module}: sentences outside the strings module`);
  }
});
