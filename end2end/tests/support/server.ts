// Starts extra portal processes for tests that need another configuration
// (production mode, a bad setting, a database that does not answer).
import { spawn, ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");
const BIN = join(ROOT, "target/debug/portal");

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), "portal-e2e-"));
}

export interface Running {
  url: string;
  /** SIGTERM, then waits; gives the exit code (null if it had to be killed). */
  stop(): Promise<number | null>;
  output(): string;
}

function launch(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(BIN, ["serve"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LEPTOS_SITE_ROOT: "target/site", PORTAL_LOG: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  return { child, output: () => out };
}

/** Starts a portal and waits until /healthz answers. */
export async function startServer(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output } = launch({ PORTAL_LISTEN: `127.0.0.1:${port}`, ...env });
  const stop = () =>
    new Promise<number | null>((ok) => {
      if (child.exitCode !== null) return ok(child.exitCode);
      child.once("exit", (code) => ok(code));
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`portal exited early:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, stop, output };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`portal did not start:\n${output()}`);
}

/** Runs a portal that is expected to refuse to start; gives its exit code and output. */
export async function runExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const { child, output } = launch({ PORTAL_LISTEN: `127.0.0.1:${port}`, ...env });
  return new Promise((ok) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      ok({ code, output: output() });
    });
  });
}
