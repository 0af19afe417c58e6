// First load on a slow phone: the server-rendered page is usable before the
// wasm arrives, so what a person types then must survive the app waking up;
// and the files of the app come compressed and cacheable.
import { test, expect, Page } from "./support/test";
import { hydrated } from "./support/page";
import { STRONG_PASSWORD } from "./support/account";

/** Holds every wasm download back by `ms`, as a slow network would. */
async function slowWasm(page: Page, ms: number) {
  await page.route("**/pkg/*.wasm", async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.continue();
  });
}

/** Fills fields while the app is still asleep, and checks it was asleep. */
async function typeBeforeHydration(page: Page, fields: Record<string, string>) {
  for (const [id, text] of Object.entries(fields)) {
    await page.locator(`#${id}`).fill(text);
  }
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
}

async function expectValues(page: Page, fields: Record<string, string>) {
  for (const [id, text] of Object.entries(fields)) {
    await expect(page.locator(`#${id}`), `#${id} after hydration`).toHaveValue(text);
  }
}

test.describe("typing before the app wakes up @js", () => {
  test("the sign-in form keeps the login and the password", async ({ page }) => {
    await slowWasm(page, 3000);
    await page.goto("/login");
    const typed = { login: "+7 916 000-00-01", password: STRONG_PASSWORD };
    await typeBeforeHydration(page, typed);
    await hydrated(page);
    await expectValues(page, typed);
    // The app took the typed password as its own: the layout hint (computed
    // from the field's signal) speaks about the Russian letters in it.
    await expect(page.locator("#password-hint")).toContainText("русские буквы");
  });

  test("the registration form keeps every field", async ({ page }) => {
    await slowWasm(page, 3000);
    await page.goto("/register");
    const typed = {
      surname: "Смирнова",
      name: "Анна",
      patronymic: "Петровна",
      birth_date: "12.03.1990",
      phone: "+7 916 555-12-34",
      email: "anna@example.ru",
      password: STRONG_PASSWORD,
      password2: STRONG_PASSWORD + "x",
    };
    await typeBeforeHydration(page, typed);
    await hydrated(page);
    await expectValues(page, typed);
    // The repeat check runs on the signals: it sees both typed passwords.
    await expect(page.locator("#password2-error")).toBeVisible();
    await page.locator("#password2").fill(STRONG_PASSWORD);
    await expect(page.locator("#password2-error")).toBeHidden();
  });

  test("the service search keeps its words", async ({ page }) => {
    await slowWasm(page, 3000);
    await page.goto("/");
    await typeBeforeHydration(page, { "service-search": "выписка егрн" });
    await hydrated(page);
    await expectValues(page, { "service-search": "выписка егрн" });
    await expect(page.getByText("Найдено услуг: 1")).toBeVisible();
  });
});

test.describe("the files of the app", () => {
  /** The stylesheet, script and wasm the page at `/` links. */
  async function assets(page: Page): Promise<string[]> {
    await page.goto("/");
    const hrefs = await page
      .locator('link[rel="stylesheet"], link[rel="modulepreload"], link[rel="preload"][href$=".wasm"]')
      .evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).getAttribute("href") ?? ""));
    const pkg = hrefs.filter((h) => h.startsWith("/pkg/"));
    expect(pkg.length).toBeGreaterThanOrEqual(3);
    return pkg;
  }

  test("a static asset comes brotli-encoded, named by its content and cached for a year", async ({ page, request }) => {
    for (const href of await assets(page)) {
      expect(href, "a hashed name").toMatch(/^\/pkg\/portal\.[A-Za-z0-9_-]{22}\.(css|js|wasm)$/);
      const res = await request.get(href, { headers: { "Accept-Encoding": "br, gzip" } });
      expect(res.status()).toBe(200);
      expect(res.headers()["content-encoding"], href).toBe("br");
      expect(res.headers()["cache-control"], href).toBe("public, max-age=31536000, immutable");
    }
  });

  test("a browser that knows only gzip gets gzip; pages are compressed too", async ({ page, request }) => {
    const [css] = await assets(page);
    const gz = await request.get(css, { headers: { "Accept-Encoding": "gzip" } });
    expect(gz.headers()["content-encoding"]).toBe("gzip");
    const html = await request.get("/login", { headers: { "Accept-Encoding": "br" } });
    expect(html.status()).toBe(200);
    expect(html.headers()["content-encoding"]).toBe("br");
    expect(html.headers()["cache-control"] ?? "").not.toContain("immutable");
    expect(await html.text()).toContain("Вход в личный кабинет");
  });
});
