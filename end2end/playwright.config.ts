import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./tests/support/browser";

// run.sh picks a free port and a fresh data directory, builds nothing, and
// exports them; Playwright starts the portal and stops it whatever happens.
const port = process.env.PORTAL_E2E_PORT ?? "3199";
const dataDir = process.env.PORTAL_E2E_DATA ?? "/tmp/portal-e2e-data";
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "ru-RU",
    trace: "retain-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    // The wasm app hydrates the server-rendered page; tests tagged @nojs
    // are about the page without scripts and do not run here.
    { name: "hydrated", use: { javaScriptEnabled: true }, grepInvert: /@nojs/ },
    // Core pages and forms must work before (or without) the wasm; tests
    // tagged @js need scripts and do not run here.
    { name: "no-js", use: { javaScriptEnabled: false }, grepInvert: /@js/ },
  ],
  webServer: {
    // Demo accounts first (the sign-in tests use them), then the server.
    command: "sh -c './target/debug/portal migrate && ./target/debug/portal seed-demo && exec ./target/debug/portal serve'",
    cwd: "..",
    url: `${baseURL}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORTAL_MODE: "dev",
      PORTAL_LISTEN: `127.0.0.1:${port}`,
      PORTAL_DB: `surrealkv://${dataDir}`,
      LEPTOS_SITE_ROOT: "target/site",
      PORTAL_LOG: "warn",
      // Every test signs in from 127.0.0.1: the per-address slow-down has
      // its own test with its own server.
      PORTAL_IP_FAILURES_FREE: "100000",
      // …and registers, recovers and asks for codes from it many times an
      // hour: the per-address budgets are off here (0) and proven in Rust.
      PORTAL_BUDGET_REGISTER_PER_ADDRESS: "0",
      PORTAL_BUDGET_RECOVER_PER_ADDRESS: "0",
      PORTAL_BUDGET_RESEND_PER_ADDRESS: "0",
      PORTAL_BUDGET_VOICE_PER_ADDRESS: "0",
      // Passkeys need a domain: their tests open http://localhost:<port>.
      PORTAL_WEBAUTHN_RP_ID: "localhost",
      PORTAL_WEBAUTHN_ORIGIN: `http://localhost:${port}`,
      // The simulated registries answer «Подтверждение личности» at once.
      PORTAL_REGISTRY_DELAY_MS: "300",
    },
  },
});
