// «Документы» as a citizen and an official meet it: a passport scan
// uploaded with a progress bar (with scripts) or by a plain form (without),
// files judged by their content, an official (signed in with the demo
// authenticator key) who rejects naming a defect, the citizen who sees it
// and uploads again, the acceptance; a change of surname approved by an
// official that appears in the profile with its history.
import { resolve } from "node:path";
import type { Browser } from "@playwright/test";
import { test, expect, Page } from "./support/test";
import { newPerson, open, outbox, register } from "./support/account";
import { OFFICIAL, staffSignIn } from "./support/staff";

const FIXTURES = resolve(__dirname, "../../app/tests/fixtures");
const fixture = (name: string) => resolve(FIXTURES, name);
const hydrated = () => test.info().project.name === "hydrated";

/** The official in a browser of their own (scripts on or off as this project). */
async function officialPage(browser: Browser): Promise<Page> {
  const use = test.info().project.use;
  const ctx = await browser.newContext({ javaScriptEnabled: use.javaScriptEnabled, baseURL: use.baseURL, locale: "ru-RU" });
  const page = await ctx.newPage();
  await staffSignIn(page, OFFICIAL);
  return page;
}

/** Uploads `file` as `kind` with the form `prefix` on the page. */
async function upload(page: Page, prefix: string, file: string, kind?: string) {
  if (kind) await page.locator(`#${prefix}-kind`).selectOption({ label: kind });
  await page.locator(`#${prefix}-file`).setInputFiles(fixture(file));
  await page.locator(`#${prefix}-file`).locator("xpath=ancestor::form").locator("button[type=submit]").click();
}

/** The upload went through: the page says so, and with scripts the form's
 * progress bar (which moves while the file goes up) stands at 100 %. */
async function expectUploaded(page: Page, prefix: string) {
  if (hydrated()) {
    await expect(page.locator(`#${prefix}-progress`)).toHaveAttribute("value", "100");
    await expect(page.locator(`label[for=${prefix}-progress]`)).toHaveText("Файл загружен и отправлен на проверку");
  }
  await expect(page.locator("#documents-notice")).toContainText("Файл загружен и отправлен на проверку");
}

/** The number the citizen's newest document shows. */
async function newestNumber(page: Page): Promise<string> {
  const first = page.locator("#my-documents > li").first();
  await expect(first).toHaveAttribute("data-number", /№ [0-9A-F]{8}/);
  return (await first.getAttribute("data-number"))!;
}

test.describe("documents", () => {
  test("a passport scan goes up with a progress bar, is rejected naming a defect, is uploaded again and accepted", async ({
    page,
    browser,
    request,
  }) => {
    test.setTimeout(150_000);
    const person = newPerson();
    await register(page, request, person);
    await open(page, "/documents");
    await expect(page.getByRole("heading", { name: "Документы", level: 1 })).toBeVisible();
    await expect(page.locator("#my-documents")).toHaveCount(0);

    // A slow line, so the bar is seen moving before the file is all sent.
    const cdp = hydrated() ? await page.context().newCDPSession(page) : undefined;
    await cdp?.send("Network.enable");
    await cdp?.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2048 });
    await upload(page, "upload", "passport.jpg", "Паспорт гражданина РФ");
    if (cdp) {
      await expect(page.locator("label[for=upload-progress]")).toHaveText(/Загрузка файла: \d+ %/);
      await expect(page.locator("#upload-file").locator("xpath=ancestor::form").locator("button[type=submit]")).toBeDisabled();
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    }
    await expectUploaded(page, "upload");
    const item = page.locator("#my-documents > li").first();
    await expect(item).toContainText("Паспорт гражданина РФ");
    await expect(item).toContainText("Загружен");
    const first = await newestNumber(page);

    // The owner downloads it as an attachment, never shown inline.
    const href = await item.getByRole("link", { name: "Скачать" }).getAttribute("href");
    const file = await page.request.get(href!);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-disposition"]).toMatch(/^attachment;/);
    expect(file.headers()["x-content-type-options"]).toBe("nosniff");
    expect(file.headers()["content-type"]).toBe("image/jpeg");

    // The official: the queue holds no personal data; the document opens.
    const official = await officialPage(browser);
    await open(official, "/staff/official");
    await official.getByRole("link", { name: "Проверка документов" }).first().click();
    await expect(official).toHaveURL(/\/staff\/official\/documents$/);
    const queue = official.locator("#document-queue");
    await expect(queue).toContainText(first);
    await expect(queue).not.toContainText(person.surname);
    await expect(queue.locator("tr", { hasText: first })).toContainText(/осталось 2\d ч/);
    await queue.getByRole("link", { name: first }).click();
    await expect(official.getByRole("heading", { level: 1 })).toContainText(first);
    await expect(official.locator("dl")).toContainText(`${person.surname} ${person.name}`);
    // A rejection must say what is wrong.
    await official.getByRole("button", { name: "Отклонить" }).click();
    await expect(official.locator("#remark-error")).toContainText("Отметьте недочёты");
    await official.getByLabel("Изображение размытое или нечёткое").check();
    await official.getByLabel("Другое замечание").fill("Не видна страница с фотографией");
    await official.getByRole("button", { name: "Отклонить" }).click();
    await expect(official).toHaveURL(/\/staff\/official\/documents\?rejected=/);
    await expect(official.locator("#queue-notice")).toContainText("отклонён");
    await expect(official.locator("#document-queue")).not.toContainText(first);

    // The citizen: a notice, and the defects beside the document.
    await expect
      .poll(async () => (await outbox(request)).some((m) => m.subject === "Документ отклонён — Госпортал" || m.body.includes("Документ отклонён")))
      .toBeTruthy();
    await open(page, "/documents");
    const rejected = page.locator("#my-documents > li", { hasText: first });
    await expect(rejected).toContainText("Отклонён");
    await expect(rejected.locator(".doc-defects")).toContainText("Изображение размытое или нечёткое");
    await expect(rejected.locator(".doc-defects")).toContainText("Не видна страница с фотографией");

    // Uploaded again in place of the rejected one.
    await rejected.getByText("Загрузить заново").click();
    const again = (await rejected.locator("select").getAttribute("id"))!.replace(/-kind$/, "");
    await upload(page, again, "passport.png");
    await expect(page.locator("#documents-notice")).toContainText("Файл загружен и отправлен на проверку");
    const second = await newestNumber(page);
    expect(second).not.toBe(first);
    await expect(page.locator("#my-documents > li", { hasText: first })).toContainText("Загружен новый файл взамен этого");

    // The official accepts the new one.
    await open(official, "/staff/official/documents");
    await official.locator("#document-queue").getByRole("link", { name: second }).click();
    await expect(official.locator("body")).toContainText("Загружен взамен отклонённого");
    await official.getByRole("button", { name: "Принять" }).click();
    await expect(official.locator("#queue-notice")).toContainText("принят");
    await official.context().close();

    await open(page, "/documents");
    await expect(page.locator("#my-documents > li", { hasText: second })).toContainText("Принят");

    // The official's looks are in «Кто обращался к моим данным»: role and
    // department, what and why, never a name.
    await open(page, "/profile");
    const rows = page.locator("#access-list");
    await expect(rows).toContainText("Сотрудник ведомства, Министерство социальной защиты");
    await expect(rows).toContainText("Проверка документа");
    await expect(rows).not.toContainText("Кузнецов");
  });

  test("a file is judged by its content: a PNG renamed .pdf and a file over 5 МБ are refused, naming the problem", async ({
    page,
    request,
  }) => {
    const person = newPerson();
    await register(page, request, person);
    await open(page, "/documents");
    await upload(page, "upload", "png-renamed.pdf", "СНИЛС");
    await expect(page.locator("#upload-file-error")).toContainText("Формат файла не совпадает с его расширением");
    await expect(page.locator("#upload-kind")).toHaveValue("snils");
    await upload(page, "upload", "truncated.jpg");
    await expect(page.locator("#upload-file-error")).toContainText("Файл повреждён или не открывается");
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0);
    await page.locator("#upload-file").setInputFiles({ name: "big.pdf", mimeType: "application/pdf", buffer: big });
    await page.locator("#upload-file").locator("xpath=ancestor::form").locator("button[type=submit]").click();
    await expect(page.locator("#upload-file-error")).toContainText("Файл больше 5 МБ");
    await expect(page.locator("#my-documents")).toHaveCount(0);
    // A good one still goes.
    await upload(page, "upload", "scan.pdf");
    await expect(page.locator("#my-documents > li")).toHaveCount(1);
    await expect(page.locator("#my-documents > li")).toContainText("PDF");
  });

  test("a change of surname approved by an official appears in the profile with its history", async ({ page, browser, request }) => {
    test.setTimeout(150_000);
    const person = newPerson();
    await register(page, request, person);
    await open(page, "/profile");
    await page.getByRole("link", { name: "Изменить ФИО / паспортные данные" }).click();
    await expect(page).toHaveURL(/\/documents\/change$/);
    await expect(page.locator("#no-scans")).toBeVisible();
    // Without a scan the request is refused, and what was typed stays.
    await page.locator("#surname").fill("Орлова");
    await page.getByRole("button", { name: "Отправить на проверку" }).click();
    await expect(page.locator("#scans-error")).toContainText("Приложите скан документа");
    await expect(page.locator("#surname")).toHaveValue("Орлова");

    // Step 1: a scan; it is ticked in step 2.
    await upload(page, "scan", "passport.jpg", "Другой документ");
    await expect(page.locator("#scan-list input[type=checkbox]")).toBeChecked();
    await page.locator("#surname").fill("Орлова");
    await page.getByRole("button", { name: "Отправить на проверку" }).click();
    await expect(page).toHaveURL(/\/documents\?requested=1/);
    await expect(page.locator("#change-status")).toContainText("Ожидает проверки");
    await expect(page.locator("#change-status")).toContainText("Орлова");
    // Nothing changes before the approval.
    await open(page, "/profile");
    await expect(page.locator("dl").first()).toContainText(`${person.surname} ${person.name}`);

    const official = await officialPage(browser);
    await open(official, "/staff/official/documents");
    const number = (await page.goto("/documents"), await page.locator("#change-status strong").innerText()).match(/№ [0-9A-F]{8}/)![0];
    await official.locator("#change-queue").getByRole("link", { name: number }).click();
    await expect(official.locator("#change-rows")).toContainText("Орлова");
    await expect(official.locator("#change-scans a")).toHaveCount(1);
    await official.getByRole("button", { name: "Одобрить" }).click();
    await expect(official.locator("#queue-notice")).toContainText("одобрен");
    await official.context().close();

    await open(page, "/profile");
    await expect(page.locator("dl").first()).toContainText(`Орлова ${person.name}`);
    await open(page, "/documents#history");
    const history = page.locator("#personal-history");
    await expect(history).toContainText(person.surname);
    await expect(history).toContainText("Орлова");
    await expect(page.locator("#change-status")).toContainText("Одобрен");
  });
});
