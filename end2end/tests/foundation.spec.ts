import { test, expect } from "./support/test";
import { hydrated } from "./support/page";
import { freePort, freshDataDir, runExpectingExit, startServer } from "./support/server";

test.describe("home page", () => {
  test("is complete without JavaScript: header, search, services, footer @nojs", async ({ page }) => {
    const res = await page.goto("/");
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Личный кабинет на портале государственных услуг");
    await expect(page.getByRole("navigation", { name: "Основная навигация" }).getByRole("link", { name: "Войти" })).toHaveAttribute("href", "/login");
    await expect(page.getByText("Популярных услуг: 6")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Служба поддержки" })).toBeVisible();
    // The search is a plain GET form: the server filters.
    await page.getByLabel("Поиск услуги").fill("загранпаспорт");
    await page.getByRole("button", { name: "Найти" }).click();
    await expect(page).toHaveURL(/q=%D0%B7/);
    await expect(page.getByText("Найдено услуг: 1")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Оформление заграничного паспорта" })).toBeVisible();
    await expect(page.getByLabel("Поиск услуги")).toHaveValue("загранпаспорт");
  });

  test("hydrates and filters services as you type @js", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    const url = page.url();
    await page.getByLabel("Поиск услуги").fill("выписка егрн");
    await expect(page.getByText("Найдено услуг: 1")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Выписка из ЕГРН об объекте недвижимости" })).toBeVisible();
    await page.getByLabel("Поиск услуги").fill("нет такой услуги");
    await expect(page.getByText("Ничего не найдено.")).toBeVisible();
    expect(page.url()).toBe(url); // no page load happened
  });

  test("fits a 360 px phone without sideways scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto("/");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await expect(page.getByRole("link", { name: "Войти" }).first()).toBeVisible();
  });

  test("says so when the network drops and keeps what was typed @js", async ({ page, context }) => {
    await page.goto("/");
    await hydrated(page);
    await page.getByLabel("Поиск услуги").fill("паспорт");
    await context.setOffline(true);
    await expect(page.getByText("Нет подключения к интернету.")).toBeVisible();
    await expect(page.getByLabel("Поиск услуги")).toHaveValue("паспорт");
    await context.setOffline(false);
    await expect(page.getByText("Нет подключения к интернету.")).toHaveCount(0);
    await expect(page.getByLabel("Поиск услуги")).toHaveValue("паспорт");
  });
});

test.describe("error pages", () => {
  test("an unknown address is a 404 page in Russian", async ({ page }) => {
    const res = await page.goto("/no/such/page");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Страница не найдена");
    await expect(page.getByRole("link", { name: "На главную", exact: true })).toHaveAttribute("href", "/");
  });

  test("a failure shows the 500 page with the request id and what to do", async ({ page }) => {
    const res = await page.goto("/dev/panic");
    expect(res?.status()).toBe(500);
    const id = res?.headers()["x-request-id"];
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Ошибка 500");
    await expect(page.locator(".request-id code")).toHaveText(id!);
    await expect(page.getByText("Очистите кэш и файлы cookie браузера")).toBeVisible();
    await expect(page.getByText("сообщите код ошибки и время")).toBeVisible();
  });
});

test.describe("server", () => {
  test("answers health and readiness probes", async ({ request }) => {
    const health = await request.get("/healthz");
    expect(health.status()).toBe(200);
    expect(await health.text()).toBe("ok");
    const ready = await request.get("/readyz");
    expect(ready.status()).toBe(200);
  });

  test("sends security headers and a CSP nonce for the hydration script", async ({ request }) => {
    const res = await request.get("/");
    const h = res.headers();
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(h["strict-transport-security"]).toBeUndefined(); // plain http in dev
    const csp = h["content-security-policy"];
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await res.text()).toContain(`nonce="${nonce}"`);
  });

  test("lists outgoing messages at /dev/outbox in dev mode", async ({ page }) => {
    const res = await page.goto("/dev/outbox");
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Исходящие сообщения");
  });

  test("in production hides /dev/outbox, sends HSTS and still serves pages", async () => {
    const srv = await startServer({
      PORTAL_MODE: "production",
      PORTAL_PUBLIC_URL: "https://lk.example.ru",
      PORTAL_DB: `surrealkv://${freshDataDir()}`,
      PORTAL_SMTP_URL: "smtp://127.0.0.1:2525?tls=required",
      PORTAL_MAIL_FROM: "noreply@example.ru",
      PORTAL_SECRET_KEY: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
    });
    try {
      const outbox = await fetch(`${srv.url}/dev/outbox`);
      expect(outbox.status).toBe(404);
      expect(await outbox.text()).toContain("Страница не найдена");
      expect((await fetch(`${srv.url}/dev/panic`)).status).toBe(404);
      const home = await fetch(`${srv.url}/`);
      expect(home.status).toBe(200);
      expect(home.headers.get("strict-transport-security")).toContain("max-age=");
      expect(await home.text()).not.toContain("/dev/outbox");
    } finally {
      await srv.stop();
    }
  });

  test("stops cleanly on SIGTERM and opens its data again", async () => {
    const dir = freshDataDir();
    const first = await startServer({ PORTAL_DB: `surrealkv://${dir}` });
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    const second = await startServer({ PORTAL_DB: `surrealkv://${dir}` });
    try {
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  test("refuses to start with a bad setting and names it", async () => {
    const bad = await runExpectingExit({ PORTAL_LISTEN: "nowhere", PORTAL_DB: "mem://" });
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("PORTAL_LISTEN: 'nowhere' is not an address");
    const insecure = await runExpectingExit({ PORTAL_MODE: "production", PORTAL_DB: "mem://" });
    expect(insecure.code).toBe(2);
    expect(insecure.output).toContain("PORTAL_PUBLIC_URL: production needs an https:// address");
    expect(insecure.output).toContain("PORTAL_DB: mem:// loses every account");
  });

  test("shows «Сервис недоступен» while the database does not answer", async ({ browser }) => {
    const deadPort = await freePort();
    const srv = await startServer({
      PORTAL_DB: `ws://127.0.0.1:${deadPort}`,
      PORTAL_DB_USER: "root",
      PORTAL_DB_PASSWORD: "root",
    });
    try {
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${srv.url}/readyz`)).status).toBe(503);
      const page = await browser.newPage();
      const res = await page.goto(srv.url);
      expect(res?.status()).toBe(503);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Сервис недоступен");
      await page.close();
    } finally {
      await srv.stop();
    }
  });
});

test.describe("design system", () => {
  test("field error, modal and toast work from the keyboard @js", async ({ page }) => {
    await page.goto("/dev/ui");
    await hydrated(page);
    const name = page.getByLabel("Имя");
    await name.fill("Иван2");
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(name).toHaveAttribute("aria-describedby", "kit-name-hint kit-name-error");
    await expect(page.locator("#kit-name-error")).toHaveText("Имя не может содержать цифры");
    await name.fill("Иван");
    await expect(name).not.toHaveAttribute("aria-invalid", "true");

    await page.getByRole("button", { name: "Открыть окно" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Подтверждение" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);

    await page.getByRole("button", { name: "Показать уведомление" }).click();
    await expect(page.locator(".toast")).toHaveText(/Изменения сохранены/);
  });
});
