// Notifications as a citizen meets them: the personal home «Личный кабинет»
// with its cards, «Настройка уведомлений» saved with «Применить», a notice
// from an official's decision on an uploaded document — the bell's count,
// the list, «Отправленные сообщения» (a push waiting), an SMS in the dev
// outbox only while SMS is switched on — reading it, «Отметить все
// прочитанными», and another citizen who cannot open it.
import { resolve } from "node:path";
import type { Browser } from "@playwright/test";
import { test, expect, Page } from "./support/test";
import { newPerson, normalPhone, open, outbox, register } from "./support/account";
import { OFFICIAL, staffSignIn } from "./support/staff";

const FIXTURES = resolve(__dirname, "../../app/tests/fixtures");

/** A new browser of this project's kind (scripts on or off). */
async function newPage(browser: Browser): Promise<Page> {
  const use = test.info().project.use;
  const ctx = await browser.newContext({ javaScriptEnabled: use.javaScriptEnabled, baseURL: use.baseURL, locale: "ru-RU" });
  return ctx.newPage();
}

async function upload(page: Page, prefix: string, file: string) {
  await page.locator(`#${prefix}-file`).setInputFiles(resolve(FIXTURES, file));
  await page.locator(`#${prefix}-file`).locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(page.locator("#documents-notice")).toContainText("Файл загружен и отправлен на проверку");
}

/** The official opens the newest document of the queue with `number` and decides. */
async function decide(official: Page, number: string, reject: boolean) {
  await open(official, "/staff/official/documents");
  await official.locator("#document-queue").getByRole("link", { name: number }).click();
  if (reject) {
    await official.getByLabel("Изображение размытое или нечёткое").check();
    await official.getByRole("button", { name: "Отклонить" }).click();
    await expect(official.locator("#queue-notice")).toContainText("отклонён");
  } else {
    await official.getByRole("button", { name: "Принять" }).click();
    await expect(official.locator("#queue-notice")).toContainText("принят");
  }
}

async function newestNumber(page: Page): Promise<string> {
  const first = page.locator("#my-documents > li").first();
  await expect(first).toHaveAttribute("data-number", /№ [0-9A-F]{8}/);
  return (await first.getAttribute("data-number"))!;
}

/** SMS to `phone` whose text has `what`. */
async function smsAbout(request: Parameters<typeof outbox>[0], phone: string, what: string) {
  return (await outbox(request)).filter((m) => m.recipient === normalPhone(phone) && m.body.includes(what));
}

test.describe("notifications", () => {
  test("settings choose the channels; a notice rings the bell, is read, and stays the citizen's own", async ({ page, browser, request }) => {
    test.setTimeout(180_000);
    const person = newPerson();
    await register(page, request, person);

    // The personal home: greeting, what needs doing, the cards.
    await open(page, "/");
    await expect(page.getByRole("heading", { name: "Личный кабинет", level: 1 })).toBeVisible();
    await expect(page.locator("#greeting")).toHaveText("Здравствуйте, Анна Петровна!");
    await expect(page.locator("#needs-action")).toContainText("Подтвердить личность");
    const cards = page.locator("#home-cards");
    for (const title of ["Мои заявления", "Задолженности и штрафы", "Запись к врачу", "Обращения в поддержку", "Документы", "Уведомления"]) {
      await expect(cards.locator(".home-card-title", { hasText: title })).toHaveCount(1);
    }
    // Payments need the «Подтверждённая» level: the card links there, with no count yet.
    await expect(page.locator("#card-payments a[href='/payments']")).toBeVisible();
    await expect(page.locator("#card-payments .home-card-number")).toHaveCount(0);
    await expect(page.locator("#card-doctor")).toContainText("Скоро");
    await expect(page.locator("#card-documents .home-card-number")).toHaveText("0");
    await expect(page.locator("#card-notifications .home-card-number")).toHaveText("0");
    await expect(page.getByRole("link", { name: "Уведомления, нет непрочитанных" })).toBeVisible();

    // «Настройка уведомлений»: no SMS about personal data; e-mail is not
    // given, and the page says so; security notices are always on.
    await open(page, "/settings/notifications");
    await expect(page.locator("#security-always")).toContainText("приходят всегда");
    await expect(page.locator("#note-email")).toContainText("не указана");
    await expect(page.locator("#personal-sms")).toBeChecked();
    await page.getByRole("group", { name: "Об изменении персональных данных" }).getByLabel("SMS").uncheck();
    await page.getByRole("button", { name: "Применить" }).click();
    await expect(page.locator("#settings-notice")).toContainText("Настройки уведомлений сохранены");
    await open(page, "/settings/notifications");
    await expect(page.locator("#personal-sms")).not.toBeChecked();
    await expect(page.locator("#personal-push")).toBeChecked();
    await expect(page.locator("#status-sms")).toBeChecked();

    // A document the official rejects: a notice about personal data.
    await open(page, "/documents");
    await upload(page, "upload", "passport.jpg");
    const first = await newestNumber(page);
    const official = await newPage(browser);
    await staffSignIn(official, OFFICIAL);
    await decide(official, first, true);

    await open(page, "/");
    await expect(page.getByRole("link", { name: "Уведомления, 1 непрочитанное" })).toBeVisible();
    await expect(page.locator("#whats-new")).toContainText("Документ отклонён");
    await expect(page.locator("#card-notifications .home-card-number")).toHaveText("1");
    // SMS was off for it: none in the outbox.
    expect(await smsAbout(request, person.phone!, "Документ отклонён")).toHaveLength(0);

    await page.getByRole("link", { name: "Уведомления, 1 непрочитанное" }).click();
    await expect(page).toHaveURL(/\/notifications$/);
    const item = page.locator("#notice-list > li").first();
    await expect(item).toContainText("Документ отклонён");
    await expect(item).toContainText("Об изменении персональных данных");
    await expect(item).toHaveAttribute("data-read", "false");
    const href = (await item.getByRole("link").getAttribute("href"))!;
    // «Отправленные сообщения»: the push waits for the app; no SMS.
    const sent = page.locator("#deliveries");
    await expect(sent.locator("tr", { hasText: "Пуш‑уведомление" }).first()).toContainText("Ожидает отправки");
    await expect(sent.locator("tr", { hasText: "Документ отклонён" }).filter({ hasText: "SMS" })).toHaveCount(0);

    // Another citizen cannot open it, and it stays unread.
    const other = await newPage(browser);
    await register(other, request, newPerson());
    const res = await other.goto(href);
    expect(res?.status()).toBe(404);
    await expect(other.getByRole("heading", { name: "Страница не найдена" })).toBeVisible();
    await open(other, "/notifications");
    await expect(other.locator("#no-notices")).toBeVisible();
    await other.context().close();
    await open(page, "/notifications");
    await expect(page.locator("#notice-list > li").first()).toHaveAttribute("data-read", "false");

    // SMS back on; uploaded again and accepted: now an SMS goes.
    await open(page, "/settings/notifications");
    await page.locator("#personal-sms").check();
    await page.getByRole("button", { name: "Применить" }).click();
    await expect(page.locator("#settings-notice")).toContainText("сохранены");
    await open(page, "/documents");
    const rejected = page.locator("#my-documents > li", { hasText: first });
    await rejected.getByText("Загрузить заново").click();
    const again = (await rejected.locator("select").getAttribute("id"))!.replace(/-kind$/, "");
    await upload(page, again, "passport.png");
    const second = await newestNumber(page);
    await decide(official, second, false);
    await official.context().close();
    await expect.poll(async () => (await smsAbout(request, person.phone!, "Документ принят")).length).toBe(1);

    // Two unread; opening one goes to what it is about and reads it.
    await open(page, "/notifications");
    await expect(page.locator("#unread-count")).toHaveText("У вас 2 непрочитанных уведомления.");
    await page.locator("#notice-list > li", { hasText: "Документ принят" }).getByRole("link").click();
    await expect(page).toHaveURL(/\/documents$/);
    await expect(page.getByRole("link", { name: "Уведомления, 1 непрочитанное" })).toBeVisible();
    await open(page, "/notifications");
    await expect(page.locator("#notice-list > li", { hasText: "Документ принят" })).toHaveAttribute("data-read", "true");
    await page.getByRole("button", { name: "Отметить все прочитанными" }).click();
    await expect(page.locator("#notifications-notice")).toContainText("отмечены прочитанными");
    await expect(page.locator("#notice-list > li[data-read=false]")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Уведомления, нет непрочитанных" })).toBeVisible();
  });

  test("the notification pages read on a 360 px phone", async ({ page, request }) => {
    await page.setViewportSize({ width: 360, height: 780 });
    await register(page, request, newPerson());
    for (const path of ["/", "/notifications", "/settings/notifications"]) {
      await open(page, path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(360);
    }
    await expect(page.getByRole("link", { name: /^Уведомления, / })).toBeVisible();
  });
});
