// Applications as a citizen and an official meet them, with scripts on and
// off: a form prefilled from the profile filled step by step, the tab
// closed mid-way and the draft found again after signing in, «Отправить»
// with a number; the МВД official asks for a field and a document, the
// citizen hears of it and answers in place, the official approves, the
// citizen downloads the result PDF whose QR page says it is genuine; a
// refused application shows its reason; another citizen cannot open it.
import { resolve } from "node:path";
import type { Browser, BrowserContext } from "@playwright/test";
import { test, expect, Page } from "./support/test";
import { outbox, signIn } from "./support/account";
import { staffSignIn } from "./support/staff";
import { pdfText } from "./support/pdf";

const FIXTURES = resolve(__dirname, "../../app/tests/fixtures");
const hydrated = () => test.info().project.name === "hydrated";
const MVD = { phone: "+79160000105", password: "Mvd-Official-Demo-2026!", key: "ONSWG4TFOQYTEMZUGU3DOOBZGAYTEMZU" };
const SIDOROV = { phone: "+79160000003", password: "Sidorov-Demo-2026!", name: "Сидоров" };
const KOVALEVA = { phone: "+79160000004", password: "Kovaleva-Demo-2026!", name: "Ковалёва" };

/** Each project has its own citizen (one draft per person and service). */
const me = () => (hydrated() ? SIDOROV : KOVALEVA);
const other = () => (hydrated() ? KOVALEVA : SIDOROV);

async function context(browser: Browser): Promise<BrowserContext> {
  const use = test.info().project.use;
  return browser.newContext({ javaScriptEnabled: use.javaScriptEnabled, baseURL: use.baseURL, locale: "ru-RU" });
}

async function citizen(browser: Browser, who = me()): Promise<Page> {
  const page = await (await context(browser)).newPage();
  await signIn(page, who.phone, who.password);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

async function next(page: Page) {
  await page.locator("#next-step").click();
  await page.waitForLoadState();
}

/** Steps 1 and 2 of the foreign passport, from the start page. */
async function firstSteps(page: Page) {
  await page.goto("/services/passport-foreign/apply");
  const cont = page.locator("#continue-draft");
  if (await cont.count()) await cont.click();
  else await page.locator("#start-application").click();
  await expect(page).toHaveURL(/\/applications\/\w+\/edit\?step=0/);
  // Prefilled from the profile, as stored, and not editable here.
  await expect(page.locator("#f_surname")).toHaveValue(me().name);
  await expect(page.locator("#f_surname")).toHaveAttribute("readonly", "");
  await page.getByLabel("Нет", { exact: true }).check();
  await next(page);
  await expect(page).toHaveURL(/step=1/);
  await page.getByLabel(/Нового образца/).check();
  await page.getByLabel("Истекает срок действия").check();
  await next(page);
  await expect(page).toHaveURL(/step=2$/);
}

test("a citizen fills a form, loses the tab, finds the draft, sends it and gets the result", async ({ browser }) => {
  test.setTimeout(180_000);
  let page = await citizen(browser);
  await firstSteps(page);
  // The address and phone come from the profile; the work is typed.
  await expect(page.locator("#f_address")).toHaveValue(/г\. (Москва|Санкт-Петербург)/);
  if (hydrated()) {
    // Saved as typed: the page says so.
    const saved = page.waitForResponse((r) => r.url().includes("/api/applications/save") && r.ok());
    await page.locator("#f_work").fill("ООО «Ромашка», инженер, 2016–2026");
    await saved;
    await expect(page.locator("#draft-status")).toContainText("Черновик сохранён");
  } else {
    await page.locator("#f_work").fill("ООО «Ромашка», инженер, 2016–2026");
    await page.locator("#save-draft").click();
    await expect(page.locator("#draft-saved")).toContainText("Черновик сохранён");
  }
  // The tab is closed by accident; the person signs in again.
  await page.context().close();
  page = await citizen(browser);
  await page.goto("/applications");
  const draft = page.locator(".app-card", { hasText: "Оформление заграничного паспорта" }).filter({ hasText: "Черновик" });
  await expect(draft).toHaveCount(1);
  await draft.getByRole("link").click();
  await expect(page).toHaveURL(/step=2/);
  await expect(page.locator("#f_work")).toHaveValue("ООО «Ромашка», инженер, 2016–2026");
  await next(page);
  await expect(page.locator("#review-title")).toHaveText("Проверьте данные");
  await expect(page.locator(".review-list").first()).toContainText(me().name);
  await page.locator("#submit-application").click();
  await expect(page.locator("#app-notice")).toContainText(/Номер: \d{3}-\d{3}-\d{3}/);
  const number = ((await page.locator(".app-number").textContent()) ?? "").replace("Заявление № ", "").trim();
  await expect(page.locator("#app-status")).toHaveText(/Отправлено в ведомство|Принято от заявителя/);
  const url = page.url().replace(/\?.*$/, "");

  // Another citizen: «Страница не найдена».
  const stranger = await citizen(browser, other());
  const res = await stranger.goto(url);
  expect(res?.status()).toBe(404);
  await stranger.context().close();

  // The МВД official takes it and asks for more.
  const off = await (await context(browser)).newPage();
  await staffSignIn(off, MVD);
  await off.goto("/staff/applications");
  await off.getByRole("link", { name: number }).click();
  await off.locator("#claim").click();
  await expect(off.locator("#staff-status")).toHaveText("В обработке");
  await off.locator("#ask-form").getByLabel("Места работы и учёбы за последние 10 лет").check();
  await off.locator("#ask-documents").fill("Справка с места работы");
  await off.locator("#ask-comment").fill("Укажите все места работы с 2016 года и приложите справку");
  await off.locator("#ask-submit").click();
  await expect(off.locator("#staff-status")).toHaveText("Требуются дополнительные сведения");

  // The citizen is told (SMS and e-mail through the outbox) and answers.
  await expect.poll(async () => (await outbox(page.request)).filter((m) => m.body.includes("Нужны дополнительные сведения")).length).toBeGreaterThan(0);
  await page.goto("/documents");
  await page.locator("#upload-kind").selectOption({ label: "Справка с места работы" });
  await page.locator("#upload-file").setInputFiles(resolve(FIXTURES, "scan.pdf"));
  await page.locator("#upload-file").locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(page.locator("#documents-notice")).toContainText("Файл загружен");
  await page.goto(url);
  await expect(page.locator("#app-status")).toHaveText("Требуются дополнительные сведения");
  await expect(page.locator("#request")).toContainText("Укажите все места работы");
  // An answer without the document is refused, the typed text kept.
  await page.locator("#f_work").fill("ООО «Ромашка», инженер, 2016–2026; ИП Сидоров, 2014–2016");
  await page.locator("#send-answer").click();
  await expect(page.locator("#documents-error")).toContainText("Выберите документ");
  await expect(page.locator("#f_work")).toHaveValue(/ИП Сидоров/);
  await page.locator("#request").getByLabel(/scan\.pdf/).first().check();
  await page.locator("#send-answer").click();
  await expect(page.locator("#app-notice")).toContainText("Ответ отправлен");
  await expect(page.locator("#app-status")).toHaveText("В обработке");

  // The official approves; the citizen downloads the result.
  await off.reload();
  await expect(off.locator("#staff-status")).toHaveText("В обработке");
  await off.locator("#approve-comment").fill("Паспорт готов. Получите его в подразделении по вопросам миграции.");
  await off.locator("#approve-submit").click();
  await expect(off.locator("#staff-status")).toHaveText("Исполнено");
  await page.reload();
  await expect(page.locator("#app-status")).toHaveText("Исполнено");
  const pdf = await page.request.get((await page.locator("#result-download").getAttribute("href"))!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const text = pdfText(await pdf.body());
  expect(text).toContain(`Заявление №: ${number}`);
  expect(text).toContain("Паспорт готов");
  await page.locator("#result-check").click();
  await expect(page.locator("#check-result")).toContainText("Документ подлинный");
  // A forged code is not.
  await page.goto("/check/" + "0".repeat(64));
  await expect(page.locator("#check-result")).toContainText("Документ не найден");
});

test("a refused application shows its reason and what to do next", async ({ browser }) => {
  test.setTimeout(120_000);
  // Wait for the other test of this project to send its application first
  // (one draft per person and service).
  const page = await citizen(browser);
  await expect
    .poll(async () => {
      await page.goto("/applications?status=draft");
      return page.locator(".app-card").count();
    }, { timeout: 90_000 })
    .toBe(0);
  await firstSteps(page);
  await page.locator("#f_work").fill("Не работал");
  await next(page);
  await page.locator("#submit-application").click();
  const number = ((await page.locator(".app-number").textContent()) ?? "").replace("Заявление № ", "").trim();
  const off = await (await context(browser)).newPage();
  await staffSignIn(off, MVD);
  await off.goto("/staff/applications");
  await off.getByRole("link", { name: number }).click();
  await off.locator("#claim").click();
  // No reason chosen: the field says so.
  await off.locator("#refuse-comment").fill("Нет фотографии");
  await off.locator("#refuse-submit").click();
  await expect(off.locator("#refuse-reason-error")).toHaveText("Выберите причину отказа");
  await off.locator("#refuse-reason").selectOption({ label: "Не представлены необходимые документы" });
  await off.locator("#refuse-comment").fill("Не приложена фотография");
  await off.locator("#refuse-submit").click();
  await expect(off.locator("#staff-status")).toHaveText("Отказ");
  await page.reload();
  await expect(page.locator("#app-status")).toHaveText("Отказ");
  await expect(page.locator("#refusal")).toContainText("Не представлены необходимые документы");
  await expect(page.locator("#refusal")).toContainText("Не приложена фотография");
  await expect(page.locator("#app-next")).toContainText("подайте новое заявление");
});
