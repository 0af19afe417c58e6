// Staff sign-in for the specs: the password, then an authenticator code
// computed from the demo key (README lists the demo staff).
import { test, expect, Page } from "./test";
import { signIn } from "./account";
import { totp } from "./totp";

export const OPERATOR = { phone: "+79160000101", password: "Operator-Demo-2026!", key: "KRUGKIDUNBSSA3DFORSGK4TTEBXWMIDP" };
export const OFFICIAL = { phone: "+79160000102", password: "Official-Demo-2026!", key: "MZXW6YTBOI3DEMRQGI3DAMBQGAYDAMBQ" };

/** Each 30-s step of an authenticator code is accepted once per account,
 * and the demo staff sign in many times in one run: take the first step
 * not used yet, waiting for it if it is more than one step (the allowed
 * drift) ahead. */
const lastStep = new Map<string, number>();
export async function freshCode(key: string): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / 30);
    const step = Math.max(now, (lastStep.get(key) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(key, step);
      return totp(key, step * 30);
    }
    await new Promise((r) => setTimeout(r, ((now + 1) * 30 - Date.now() / 1000) * 1000 + 300));
  }
}

/** Signs a demo staff member in with the password and the app. */
export async function staffSignIn(page: Page, who: { phone: string; password: string; key: string }) {
  await signIn(page, who.phone, who.password);
  await expect(page).toHaveURL(/\/login\/second\?flow=.*method=totp/);
  const hydrated = test.info().project.name === "hydrated";
  // A step may have been used by a test in an earlier worker: then the next one.
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.locator("#code").fill(await freshCode(who.key));
    const answer = page.waitForResponse((r) => r.url().includes("/api/security/second_step_confirm"));
    await page.getByRole("button", { name: "Подтвердить" }).click();
    const res = await answer;
    if (hydrated) {
      // A refused code answers 4xx and the page stays; a right one navigates.
      if (res.status() >= 400) continue;
      await expect(page).not.toHaveURL(/\/login\/second/);
      return;
    }
    await page.waitForLoadState();
    if (!page.url().includes("/login/second")) return;
  }
  throw new Error("the authenticator code was refused three times");
}

