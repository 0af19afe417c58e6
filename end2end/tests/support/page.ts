import { Page, expect } from "@playwright/test";

/** Waits until the wasm app has hydrated the page (set by App on the client). */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
}
