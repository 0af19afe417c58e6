import { test, expect } from "./support/test";
import { signIn } from "./support/account";
import { staffSignIn } from "./support/staff";
test.skip(() => test.info().project.name !== "hydrated");
test("shots", async ({ browser }) => {
  test.setTimeout(120_000);
  for (const [w, h, tag] of [[1280, 900, "desk"], [360, 800, "phone"]] as const) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h }, baseURL: test.info().project.use.baseURL, locale: "ru-RU" });
    const page = await ctx.newPage();
    await signIn(page, "+79160000001", "Gosportal-Demo-2026!");
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/services/passport-foreign/apply");
    await page.screenshot({ path: `/tmp/shots/apply-${tag}.png`, fullPage: true });
    const cont = page.locator("#continue-draft");
    if (await cont.count()) await cont.click(); else await page.locator("#start-application").click();
    await page.waitForURL(/edit/);
    await page.getByLabel("Да", { exact: true }).check();
    await page.locator("#next-step").click();
    await page.waitForLoadState();
    await page.screenshot({ path: `/tmp/shots/step0-${tag}.png`, fullPage: true });
    await page.goto(page.url().replace(/step=.*/, "step=3"));
    await page.screenshot({ path: `/tmp/shots/review-${tag}.png`, fullPage: true });
    await page.goto("/applications");
    await page.screenshot({ path: `/tmp/shots/mine-${tag}.png`, fullPage: true });
    await ctx.close();
  }
});
