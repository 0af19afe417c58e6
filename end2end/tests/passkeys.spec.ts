// Passkeys («Войти по биометрии») as a person uses them, with Chromium's
// virtual authenticator (CDP WebAuthn domain: internal transport, resident
// keys, user verification). WebAuthn needs a domain, not an IP address, so
// these tests open the portal as http://localhost:<port>; the server's
// relying party is localhost (playwright.config.ts sets it).
import { CDPSession } from "@playwright/test";
import { test, expect, Page } from "./support/test";
import { newPerson, open, outbox, register, signIn, signOut, Person } from "./support/account";
import { hydrated } from "./support/page";

const port = process.env.PORTAL_E2E_PORT ?? "3199";
test.use({ baseURL: `http://localhost:${port}` });

interface Authenticator {
  cdp: CDPSession;
  id: string;
}

/** A platform authenticator that keeps passkeys and verifies the person. */
async function addAuthenticator(page: Page): Promise<Authenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

async function credentialsIn(a: Authenticator): Promise<number> {
  const { credentials } = await a.cdp.send("WebAuthn.getCredentials", { authenticatorId: a.id });
  return credentials.length;
}

/** A passkey added on /security/passkeys by the signed-in person. */
async function addPasskey(page: Page): Promise<Authenticator> {
  const a = await addAuthenticator(page);
  await open(page, "/security/passkeys");
  // Also when called from a no-js test for its own scripted page.
  await hydrated(page);
  await page.getByRole("button", { name: "Добавить ключ доступа" }).click();
  await expect(page).toHaveURL(/\/security\/passkeys\?added=1&rename=/);
  await expect(page.locator("#passkeys-notice")).toContainText("Ключ доступа добавлен");
  expect(await credentialsIn(a)).toBe(1);
  return a;
}

/** A new person, signed in, with a passkey added on /security/passkeys. */
async function personWithPasskey(page: Page, request: Parameters<typeof register>[1]): Promise<{ p: Person; a: Authenticator }> {
  const p = newPerson("phone");
  await register(page, request, p);
  return { p, a: await addPasskey(page) };
}

async function passkeySignIn(page: Page) {
  await page.getByRole("button", { name: "Войти по биометрии" }).click();
}

test.describe("passkeys", () => {
  test("added from «Безопасность», named, listed, renamed, then signs in with no password @js", async ({ page, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    const a = await addAuthenticator(page);
    await open(page, "/security");
    await page.getByRole("navigation", { name: "Настройки безопасности" }).getByRole("link", { name: "Биометрия" }).click();
    await expect(page).toHaveURL(/\/security\/passkeys$/);
    await expect(page.getByRole("heading", { level: 1, name: "Биометрия" })).toBeVisible();
    await expect(page.locator("#passkeys-empty")).toHaveText("Ключей доступа пока нет.");

    await page.getByRole("button", { name: "Добавить ключ доступа" }).click();
    await expect(page).toHaveURL(/\/security\/passkeys\?added=1&rename=/);
    expect(await credentialsIn(a)).toBe(1);
    // The name is asked for at once, with one made from the browser.
    const name = page.getByLabel("Название ключа");
    await expect(name).toBeFocused();
    await expect(name).toHaveValue("Chrome на Linux");
    const item = page.locator(".passkey-item");
    await expect(item).toHaveCount(1);
    await expect(item).toContainText("Добавлен");
    await expect(item).toContainText("ещё не использовался");
    await expect(page.locator(".passkey-name")).toHaveText("Chrome на Linux");

    // The name is checked next to the field.
    await name.fill("");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.locator("#passkey-name-error")).toContainText("Введите название ключа");
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(name).toHaveAttribute("aria-describedby", /passkey-name-error/);
    await name.fill("Ж".repeat(61));
    await expect(page.locator("#passkey-name-error")).toHaveText("Название не длиннее 60 символов");
    await name.fill("Мой ноутбук");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page).toHaveURL(/\/security\/passkeys\?renamed=1$/);
    await expect(page.locator(".passkey-name")).toHaveText("Мой ноутбук");

    // The owner is told by SMS.
    const sms = (await outbox(request)).filter((m) => m.recipient === p.phone!.replace(/[^\d+]/g, ""));
    expect(sms.some((m) => m.body.includes("добавлен ключ доступа «Chrome на Linux»"))).toBeTruthy();

    // Signed out, back in with the passkey alone.
    await signOut(page);
    await open(page, "/login");
    await passkeySignIn(page);
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.locator(".nav-user")).toHaveText("Смирнова А. П.");
    await open(page, "/security/passkeys");
    await expect(page.locator(".passkey-item")).not.toContainText("ещё не использовался");
    await expect(page.locator(".passkey-item")).toContainText("по московскому времени");
  });

  test("sign-in goes on to the page asked for (`next`) @js", async ({ page, request }) => {
    await personWithPasskey(page, request);
    await signOut(page);
    await open(page, "/security/passkeys");
    await expect(page).toHaveURL(/\/login\?next=/);
    await open(page, page.url());
    await passkeySignIn(page);
    await expect(page).toHaveURL(/\/security\/passkeys$/);
    await expect(page.getByRole("heading", { level: 1, name: "Биометрия" })).toBeVisible();
  });

  test("«Чужой компьютер» counts for a passkey sign-in too: no lasting cookie @js", async ({ page, request }) => {
    await personWithPasskey(page, request);
    await signOut(page);
    await open(page, "/login");
    await page.getByLabel("Чужой компьютер").check();
    await passkeySignIn(page);
    await expect(page).toHaveURL(/\/profile$/);
    const session = (await page.context().cookies()).find((c) => c.name === "portal_session");
    expect(session?.expires).toBe(-1);
  });

  test("a cancelled check (no fingerprint) says so and signs nobody in @js", async ({ page, request }) => {
    const { a } = await personWithPasskey(page, request);
    await signOut(page);
    await open(page, "/login");
    await a.cdp.send("WebAuthn.setUserVerified", { authenticatorId: a.id, isUserVerified: false });
    await passkeySignIn(page);
    await expect(page.locator("#passkey-sign-in-error")).toContainText("Вход по биометрии отменён");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
    // And it works once the person is verified again.
    await a.cdp.send("WebAuthn.setUserVerified", { authenticatorId: a.id, isUserVerified: true });
    await passkeySignIn(page);
    await expect(page).toHaveURL(/\/profile$/);
  });

  test("a passkey deleted on the portal but still on the device is «not found» @js", async ({ page, request }) => {
    const { p, a } = await personWithPasskey(page, request);
    await open(page, "/security/passkeys");
    await page.getByRole("link", { name: /^Удалить ключ/ }).click();
    const confirm = page.locator("#passkey-delete-confirm");
    await expect(confirm).toContainText("Удалить ключ доступа «Chrome на Linux»?");
    await confirm.getByRole("button", { name: "Удалить" }).click();
    await expect(page).toHaveURL(/\/security\/passkeys\?deleted=1$/);
    await expect(page.locator("#passkeys-notice")).toContainText("Ключ доступа удалён");
    await expect(page.locator("#passkeys-empty")).toBeVisible();
    const sms = await outbox(request);
    expect(sms.some((m) => m.body.includes("удалён ключ доступа «Chrome на Linux»"))).toBeTruthy();
    // The authenticator still has it.
    expect(await credentialsIn(a)).toBe(1);
    await signOut(page);
    await open(page, "/login");
    await passkeySignIn(page);
    await expect(page.locator("#passkey-sign-in-error")).toContainText("Этот ключ доступа не найден");
    await expect(page).toHaveURL(/\/login/);
    // The password still works.
    await signIn(page, p.phone!, p.password);
    await expect(page).toHaveURL(/\/profile$/);
  });

  test("wrong passwords lock the password, never the owner's passkey @js", async ({ page, request }) => {
    const { p } = await personWithPasskey(page, request);
    await signOut(page);
    for (let i = 0; i < 5; i++) {
      await signIn(page, p.phone!, "Неверный-Пароль-2026!");
      await expect(page.locator("#form-error")).toBeVisible();
    }
    await expect(page.locator("#form-error")).toContainText("Вход временно заблокирован");
    await open(page, "/login");
    await passkeySignIn(page);
    await expect(page).toHaveURL(/\/profile/);
  });

  test("a browser without WebAuthn is told so @js", async ({ page }) => {
    await page.addInitScript(() => {
      // @ts-expect-error: simulating an old browser
      delete window.PublicKeyCredential;
    });
    await open(page, "/login");
    await passkeySignIn(page);
    await expect(page.locator("#passkey-sign-in-error")).toContainText("Этот браузер не поддерживает вход по биометрии");
  });

  test("without JavaScript the button explains that biometrics needs it @nojs", async ({ page, request }) => {
    await open(page, "/login");
    await passkeySignIn(page);
    await expect(page.locator("#passkey-sign-in-error")).toContainText("работает только с включённым JavaScript");
    // Signed in, «Добавить ключ доступа» says the same.
    const p = newPerson("phone");
    await register(page, request, p);
    await open(page, "/security/passkeys");
    await page.getByRole("button", { name: "Добавить ключ доступа" }).click();
    await expect(page.locator("#passkey-add-error")).toContainText("работает только с включённым JavaScript");
  });

  test("rename and delete are plain forms that work without JavaScript @nojs", async ({ page, browser, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    // The passkey itself can only be made with scripts: in another context,
    // waiting for the app before each form.
    const ctx = await browser.newContext({ javaScriptEnabled: true, baseURL: `http://localhost:${port}`, locale: "ru-RU" });
    const scripted = await ctx.newPage();
    await scripted.goto("/login");
    await hydrated(scripted);
    await scripted.locator("#login").fill(p.phone!);
    await scripted.locator("#password").fill(p.password);
    await scripted.getByRole("button", { name: "Войти", exact: true }).click();
    await expect(scripted).toHaveURL(/\/profile$/);
    await addPasskey(scripted);
    await ctx.close();
    await open(page, "/security/passkeys");
    await page.getByRole("link", { name: /^Переименовать ключ/ }).click();
    const name = page.getByLabel("Название ключа");
    await expect(name).toHaveValue("Chrome на Linux");
    await name.fill("Ж".repeat(61));
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.locator("#passkey-name-error")).toHaveText("Название не длиннее 60 символов");
    await expect(name).toHaveValue("Ж".repeat(61));
    await name.fill("Телефон");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page).toHaveURL(/\/security\/passkeys\?renamed=1$/);
    await expect(page.locator(".passkey-name")).toHaveText("Телефон");
    await page.getByRole("link", { name: "Удалить ключ «Телефон»" }).click();
    await page.locator("#passkey-delete-confirm").getByRole("button", { name: "Удалить" }).click();
    await expect(page).toHaveURL(/\/security\/passkeys\?deleted=1$/);
    await expect(page.locator("#passkeys-empty")).toBeVisible();
  });

  test("after a password, a passkey serves as the second step @js", async ({ page, request }) => {
    const { p } = await personWithPasskey(page, request);
    await open(page, "/security/2fa");
    await page.getByRole("button", { name: "Включить SMS" }).click();
    await expect(page).toHaveURL(/\/security\/2fa\/backup/);
    await signOut(page);
    await signIn(page, p.phone!, p.password);
    await expect(page).toHaveURL(/\/login\/second\?flow=.*method=sms/);
    await page.getByRole("link", { name: "Биометрия (ключ доступа)" }).click();
    await expect(page).toHaveURL(/method=passkey/);
    await hydrated(page);
    await page.getByRole("button", { name: "Подтвердить биометрией" }).click();
    await expect(page).toHaveURL(/\/profile$/);
    await open(page, "/security/journal");
    await expect(page.locator("#journal tbody tr").first()).toContainText("Биометрия (ключ доступа)");
  });
});
