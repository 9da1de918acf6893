// Accessibility checks with axe-core, run on the live page under the server's real CSP.
//
// axe.min.js is evaluated through the DevTools protocol (page.evaluate), which the page's
// Content-Security-Policy does not govern, so no `bypassCSP` is needed and the page under test is
// exactly what members get. Every check asserts zero serious or critical violations; moderate and
// minor findings are collected and printed once at the end of the run.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { shot } from "./hearth.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export const findings = [];

export async function checkA11y(page, label) {
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) await page.evaluate(AXE);
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
      })),
    };
  }, TAGS);
  assert.ok(result.passes > 0, `axe did not run on ${label}`);
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of result.violations) findings.push({ screen: label, id: v.id, impact: v.impact, help: v.help });
  assert.deepEqual(
    serious.map((v) => v.id),
    [],
    `${label}: serious or critical accessibility violations:\n${serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.join("\n  ")}`).join("\n")}`,
  );
  return result;
}

// A screen worth remembering: a screenshot for docs/screenshots and an axe check.
export async function screen(page, name, options = {}) {
  await shot(page, name, options);
  await checkA11y(page, name);
}

export function printFindings() {
  if (findings.length === 0) return;
  const seen = new Map();
  for (const f of findings) {
    const key = `${f.id} (${f.impact})`;
    seen.set(key, [...(seen.get(key) ?? []), f.screen]);
  }
  for (const [key, screens] of seen) console.log(`axe, not serious: ${key} on ${screens.join(", ")}`);
}
