// «Список услуг» as a citizen meets it: the search finds «загранпаспорт»
// on the home page and in the catalogue however it is written (a word
// form, a typo), as you type with scripts and by the «Найти» form without;
// the page of a service says the account level, the term, the price and
// offers «Получить услугу»; the categories filter the list; an unknown
// service is the 404 page.
import { test, expect, Page } from "./support/test";
import { hydrated } from "./support/page";
import { signIn } from "./support/account";

const withScripts = () => test.info().project.name === "hydrated";

/** Searches for `text` in the search form on the page, as this project can. */
async function search(page: Page, text: string) {
  const box = page.getByLabel("Поиск услуги");
  await box.fill(text);
  if (!withScripts()) {
    await page.getByRole("button", { name: "Найти" }).click();
    await expect(page).toHaveURL(/q=/);
  }
  await expect(box).toHaveValue(text);
}

async function openPage(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status()).toBe(200);
  if (withScripts()) await hydrated(page);
}

test.describe("the catalogue of services", () => {
  test("a citizen finds «загранпаспорт» on the home page and opens it", async ({ page }) => {
    await openPage(page, "/");
    const popular = page.locator("#service-list");
    await expect(popular.getByRole("link", { name: "Оформление заграничного паспорта" })).toBeVisible();
    await expect(page.locator("#service-search-count")).toContainText("Популярных услуг:");
    await search(page, "паспрот");
    await expect(page.locator("#service-search-count")).toContainText("Найдено услуг:");
    await search(page, "загранпаспорт");
    await expect(page.locator("#service-search-count")).toHaveText("Найдено услуг: 1");
    await popular.getByRole("link", { name: "Оформление заграничного паспорта" }).click();
    await expect(page).toHaveURL(/\/services\/passport-foreign$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Оформление заграничного паспорта");
  });

  test("the catalogue finds a service in any word form and with a typo, and says when nothing is found", async ({ page }) => {
    await openPage(page, "/services");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Список услуг");
    await expect(page.locator("#service-search-count")).toContainText("Всего услуг:");
    const list = page.locator("#service-list");
    for (const words of ["паспорта", "загранпаспот"]) {
      await search(page, words);
      await expect(list.getByRole("link", { name: "Оформление заграничного паспорта" })).toBeVisible();
    }
    await search(page, "справку о судимости");
    await expect(list.getByRole("link").first()).toHaveText("Справка о наличии (отсутствии) судимости");
    await search(page, "детского сада");
    await expect(list.getByRole("link").first()).toHaveText("Запись в детский сад");
    await search(page, "вертолёт");
    await expect(page.locator("#service-search-count")).toContainText("Ничего не найдено.");
    await expect(list.locator("li")).toHaveCount(0);
  });

  test("the page of a service says the level, the term and the price, and offers «Получить услугу»", async ({ page }) => {
    await openPage(page, "/services");
    await search(page, "загранпаспорт");
    await page.locator("#service-list").getByRole("link", { name: "Оформление заграничного паспорта" }).click();
    await expect(page).toHaveTitle("Оформление заграничного паспорта — Госпортал");
    await expect(page.locator("#service-level")).toContainText("Подтверждённая");
    await expect(page.locator("#service-term")).toContainText("1 месяц");
    await expect(page.locator("#service-price")).toHaveText("6\u00a0000\u00a0₽");
    await expect(page.locator("#service-department")).toHaveText("МВД России");
    await expect(page.getByRole("heading", { name: "Какие документы понадобятся" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Получить услугу" })).toHaveAttribute("href", "/services/passport-foreign/apply");
    // A free service says so.
    await openPage(page, "/services/criminal-record");
    await expect(page.locator("#service-price")).toHaveText("Бесплатно");
    await expect(page.locator("#service-level")).toContainText("Подтверждённая");
  });

  test("a signed-in citizen goes from the search to the application with «Получить услугу»", async ({ page }) => {
    await signIn(page, "+79160000001", "Gosportal-Demo-2026!");
    await expect(page).not.toHaveURL(/\/login/);
    await openPage(page, "/services");
    await search(page, "загранпаспорт");
    await page.locator("#service-list").getByRole("link", { name: "Оформление заграничного паспорта" }).click();
    await page.getByRole("link", { name: "Получить услугу" }).click();
    await expect(page).toHaveURL(/\/services\/passport-foreign\/apply$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Оформление заграничного паспорта");
  });

  test("a category narrows the list, and «Все категории» shows them all again", async ({ page }) => {
    await openPage(page, "/services");
    const list = page.locator("#service-list");
    const all = await list.locator("li").count();
    expect(all).toBeGreaterThanOrEqual(9);
    const categories = page.getByRole("navigation", { name: "Категории услуг" });
    await categories.getByRole("link", { name: /^Образование/ }).click();
    await expect(page).toHaveURL(/category=/);
    await expect(categories.getByRole("link", { name: /^Образование/ })).toHaveAttribute("aria-current", "page");
    await expect(list.getByRole("link", { name: "Запись в детский сад" })).toBeVisible();
    await expect(list.getByRole("link", { name: "Запись в первый класс" })).toBeVisible();
    await expect(list.locator("li")).toHaveCount(2);
    await categories.getByRole("link", { name: "Все категории" }).click();
    await expect(list.locator("li")).toHaveCount(all);
  });

  test("an unknown service is the 404 page", async ({ page }) => {
    const res = await page.goto("/services/no-such-service");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Страница не найдена");
  });

  test("the catalogue and a service page fit a 360 px phone", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ["/services", "/services/housing-subsidy"]) {
      await page.goto(path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(360);
    }
  });
});
