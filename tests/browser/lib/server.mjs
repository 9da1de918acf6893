// Starts a real `hearth serve` on a free port with a fresh data directory, and stops it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");

export function hearthBinary() {
  return process.env.HEARTH_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug", "hearth");
}

/**
 * Runs `hearth serve` (with `--demo` unless `demo: false`) on a fresh data directory and resolves
 * once it printed its URL and the link it prints for a first run: the demo join link, or, without
 * the demo, the one-time setup link (`/setup#TOKEN`).
 * @returns {Promise<{url: string, joinLink: string | null, setupLink: string | null, dataDir: string, stop: (options?: {keepData?: boolean}) => Promise<void>, restart: (options?: {pause?: number}) => Promise<object>, output: string[]}>}
 */
export async function startServer({ args = [], env = {}, demo = true, port = 0, dataDir: existing = null } = {}) {
  const dataDir = existing ?? mkdtempSync(join(tmpdir(), "hearth-browser-"));
  const child = spawn(
    hearthBinary(),
    ["serve", "--bind", `127.0.0.1:${port}`, "--metrics-bind", "127.0.0.1:0", "--data-dir", dataDir, ...(demo ? ["--demo"] : []), ...args],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = [];
  child.stderr.on("data", (chunk) => output.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise((resolveReady, rejectReady) => {
    let url = null;
    let setupLink = null;
    const timer = setTimeout(() => rejectReady(new Error(`server did not start:\n${output.join("")}`)), 20000);
    lines.on("line", (line) => {
      output.push(line);
      const listening = line.match(/listening on (http:\/\/\S+)/);
      if (listening) url = listening[1];
      const setup = line.match(/(http:\/\/\S+\/setup#\S+)/);
      if (setup) setupLink = setup[1];
      const link = line.match(/(http:\/\/\S+\/join#\S+)/);
      if (url && demo && link) {
        clearTimeout(timer);
        resolveReady({ url, joinLink: link[1], setupLink });
      }
      if (url && !demo && setupLink) {
        clearTimeout(timer);
        resolveReady({ url, joinLink: null, setupLink });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      rejectReady(new Error(`server exited with ${code}:\n${output.join("")}`));
    });
  });
  const { url, joinLink, setupLink } = await ready;
  const stop = async ({ keepData = false } = {}) => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  };
  // Stops the server (SIGTERM: open sockets get 1001) and starts it again on the same port and
  // data directory. Resolves with the new server once it listens.
  const restart = async ({ pause = 0 } = {}) => {
    await stop({ keepData: true });
    if (pause) await new Promise((r) => setTimeout(r, pause));
    return startServer({ args, env, demo, port: Number(new URL(url).port), dataDir });
  };
  return { url, joinLink, setupLink, dataDir, stop, restart, output };
}
