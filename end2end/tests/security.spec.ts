// Strong sign-in as a person uses it: an authenticator app (codes computed
// here), backup codes, SMS codes from the dev outbox, the journal, ending a
// session from another browser, and «Это был не я».
import { test, expect, Page } from "./support/test";
import { codeFor, newPerson, normalPhone, open, outbox, register, signIn, signOut, Person } from "./support/account";
import { totp } from "./support/totp";
import { readFileSync } from "node:fs";

async function secondStep(page: Page, method: RegExp) {
  await expect(page).toHaveURL(/\/login\/second\?flow=[0-9a-f]{32}/);
  await expect(page).toHaveURL(method);
}

async function confirmCode(page: Page, code: string) {
  await page.locator("#code").fill(code);
  await page.getByRole("button", { name: "Подтвердить" }).click();
}

/** Adds the authenticator app on «Двухэтапная проверка»; returns its key and the backup codes shown once. */
async function addApp(page: Page): Promise<{ key: string; backup: string[] }> {
  await open(page, "/security/2fa");
  await expect(page.locator("#two-step-status")).toContainText("Выключена");
  await page.getByRole("button", { name: "Подключить приложение" }).click();
  await expect(page.getByRole("img", { name: "QR-код для подключения приложения" })).toBeVisible();
  const key = await page.locator("#totp-key").innerText();
  expect(key.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{32}$/);
  await page.locator("#code").fill(totp(key));
  await page.getByRole("button", { name: "Подключить", exact: true }).click();
  // The first method brings the backup codes, shown once.
  await expect(page).toHaveURL(/\/security\/2fa\/backup/);
  await expect(page.locator("#backup-codes li")).toHaveCount(10);
  const backup = await page.locator("#backup-codes li").allInnerTexts();
  // «Скачать» saves them as a text file.
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Скачать" }).click()]);
  expect(file.suggestedFilename()).toBe("gosportal-backup-codes.txt");
  const text = readFileSync(await file.path(), "utf8");
  expect(text).toContain(backup[0]);
  return { key, backup };
}

test.describe("two-step sign-in", () => {
  test("authenticator app: added by QR key, asked after the password, a code works once; backup codes once", async ({ page, request }) => {
    const p: Person = newPerson("phone");
    await register(page, request, p);
    const { key, backup } = await addApp(page);
    // Shown once: a second look shows nothing.
    await open(page, "/security/2fa/backup");
    await expect(page.locator("#backup-gone")).toBeVisible();
    await open(page, "/security/2fa");
    await expect(page.locator("#two-step-status")).toContainText("Включена");
    await expect(page.locator("#backup-left")).toContainText("10 из 10");
    await signOut(page);

    // The next step's code (the enrolment used this one).
    const code = totp(key, Date.now() / 1000 + 30);
    await signIn(page, p.phone!, p.password);
    await secondStep(page, /method=totp/);
    await confirmCode(page, code);
    await expect(page).toHaveURL(/\/profile$/);
    await signOut(page);

    await signIn(page, p.phone!, p.password);
    await secondStep(page, /method=totp/);
    await confirmCode(page, code);
    await expect(page.locator("#code-error")).toContainText("Этот код уже использован");

    await page.getByRole("link", { name: "Резервный код" }).click();
    await secondStep(page, /method=backup/);
    await confirmCode(page, backup[0].toUpperCase());
    await expect(page).toHaveURL(/\/profile$/);
    await signOut(page);

    await signIn(page, p.phone!, p.password);
    await page.getByRole("link", { name: "Резервный код" }).click();
    await confirmCode(page, backup[0]);
    await expect(page.locator("#code-error")).toContainText("Неверный код. Осталось попыток: 4");
    await confirmCode(page, backup[1]);
    await expect(page).toHaveURL(/\/profile$/);

    // The journal shows what just happened, newest first.
    await open(page, "/security/journal");
    const journal = page.locator("#journal");
    await expect(journal).toContainText("Код из приложения");
    await expect(journal).toContainText("Резервный код");
    await expect(journal).toContainText("Неверный код");
    await expect(journal.locator("tbody tr").first()).toContainText("Вход выполнен");
    await open(page, "/security/2fa");
    await expect(page.locator("#backup-left")).toContainText("8 из 10");
  });

  test("SMS code: turned on, then sent after the password and read from the outbox", async ({ page, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    await open(page, "/security/2fa");
    await page.getByRole("button", { name: "Включить SMS" }).click();
    await expect(page).toHaveURL(/\/security\/2fa\/backup/);
    await signOut(page);
    // Count this person's messages: the dev outbox lists the newest 200 only,
    // and a whole suite run sends more than that.
    const mine = async () => (await outbox(request)).filter((m) => m.recipient === normalPhone(p.phone!)).length;
    const before = await mine();
    await signIn(page, p.phone!, p.password);
    await secondStep(page, /method=sms/);
    await expect(page.locator("#second-lead")).toContainText("Введите код из SMS");
    await expect.poll(mine).toBeGreaterThan(before);
    await confirmCode(page, await codeFor(request, p.phone!));
    await expect(page).toHaveURL(/\/profile$/);
    // Turning it off needs the password within 10 minutes: signing in just gave it.
    await open(page, "/security/2fa");
    await page.getByRole("button", { name: "Отключить SMS" }).click();
    await expect(page.locator("#two-step-notice")).toContainText("Способ отключён");
  });
});

test.describe("choosing the method", () => {
  test("the app comes first; an SMS code is sent only when asked for", async ({ page, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    await addApp(page);
    await open(page, "/security/2fa");
    await page.getByRole("button", { name: "Включить SMS" }).click();
    await expect(page.locator("#two-step-notice")).toContainText("по SMS включена");
    await signOut(page);
    await signIn(page, p.phone!, p.password);
    await secondStep(page, /method=totp/);
    await page.getByRole("link", { name: "Код из SMS" }).click();
    await secondStep(page, /method=sms/);
    await page.getByRole("button", { name: "Получить код по SMS" }).click();
    await expect(page.locator("#second-lead")).toContainText("Введите код из SMS");
    await confirmCode(page, await codeFor(request, p.phone!));
    await expect(page).toHaveURL(/\/profile$/);
  });
});

test.describe("sessions and notices", () => {
  test("a session ended from another browser is signed out there @js", async ({ page, request, browser }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    const other = await browser.newContext();
    const elsewhere = await other.newPage();
    await signIn(elsewhere, p.phone!, p.password);
    await expect(elsewhere).toHaveURL(/\/profile$/);

    await open(page, "/security/sessions");
    const items = page.locator("#sessions > li");
    await expect(items).toHaveCount(2);
    await expect(page.locator(".session-current")).toContainText("Этот сеанс");
    await page.locator("#sessions > li:not(.session-current)").getByRole("button", { name: /Завершить/ }).click();
    await expect(page.locator("#sessions-notice")).toContainText("Сеанс завершён");
    await expect(items).toHaveCount(1);

    await open(elsewhere, "/profile");
    await expect(elsewhere).toHaveURL(/\/login\?next=/);
    await other.close();
  });

  test("a new device gets a notice; «Это был не я» ends every session and asks for recovery @js", async ({ page, request, browser }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    const other = await browser.newContext();
    const elsewhere = await other.newPage();
    await signIn(elsewhere, p.phone!, p.password);
    await expect(elsewhere).toHaveURL(/\/profile$/);

    const phone = "+7" + p.phone!.replace(/\D/g, "").slice(-10);
    let link = "";
    await expect
      .poll(async () => {
        const m = (await outbox(request)).find((x) => x.recipient === phone && x.body.includes("нового устройства"));
        link = m?.body.match(/\/not-me\?t=[0-9a-f]{64}/)?.[0] ?? "";
        return link;
      })
      .not.toBe("");

    await open(elsewhere, link);
    await elsewhere.getByRole("button", { name: "Это был не я — завершить все сеансы" }).click();
    await expect(elsewhere.locator("#not-me-done")).toContainText("Все сеансы завершены");

    await open(page, "/profile");
    await expect(page).toHaveURL(/\/login\?next=/);
    await signIn(page, p.phone!, p.password);
    await expect(page.locator("#form-error")).toContainText("Вход приостановлен");
    // The link works once.
    await open(elsewhere, link);
    await expect(elsewhere.locator("#not-me-gone")).toBeVisible();
    await other.close();
  });
});
