// The `test` every spec imports: Playwright's, plus a check after each test
// that the wasm app never panicked. A panic leaves the page drawn but dead
// (no hints, no client-side forms), which a test might otherwise not notice.
import { test as base, expect } from "@playwright/test";

export const test = base.extend<{ noPanics: void }>({
  noPanics: [
    async ({ page }, use) => {
      const panics: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" && m.text().includes("panicked at")) panics.push(m.text().split("\n")[0]);
      });
      page.on("pageerror", (e) => {
        if (String(e.message).includes("unreachable")) panics.push(e.message);
      });
      await use();
      expect(panics, "the wasm app panicked").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from "@playwright/test";
