// «Подтверждение личности» as a citizen meets it: a newly registered person
// («Упрощённая») enters СНИЛС and passport, sees «На проверке», and the
// simulated registries (PORTAL_REGISTRY_DELAY_MS is small here) answer
// within seconds: «Стандартная», or which data was not found, with what was
// typed kept to correct and send again. Works with JavaScript off too (the
// page is refreshed with «Обновить» instead of by itself).
import { test, expect, Page } from "./support/test";
import { STRONG_PASSWORD, normalPhone, open, outbox, register, uniquePhone } from "./support/account";

interface Fixture {
  surname: string;
  name: string;
  patronymic: string;
  birth: string;
  snils: string;
  series: string;
  number: string;
  issuedOn: string;
  issuedBy: string;
  division: string;
}

// People the simulated registries know (app/src/identity/registry.rs). A
// confirmed СНИЛС becomes its account's login, so each project confirms its
// own person: both run against one portal.
const SOKOLOVA: Fixture = {
  surname: "Соколова",
  name: "Елена",
  patronymic: "Викторовна",
  birth: "14.02.1991",
  snils: "156-372-948 94",
  series: "45 12",
  number: "654321",
  issuedOn: "20.03.2011",
  issuedBy: "ГУ МВД России по г. Москве",
  division: "770-005",
};
const NOVIKOVA: Fixture = {
  surname: "Новикова",
  name: "Ольга",
  patronymic: "Андреевна",
  birth: "30.03.2000",
  snils: "149-063-582 78",
  series: "46 20",
  number: "445566",
  issuedOn: "15.04.2020",
  issuedBy: "ГУ МВД России по Московской области",
  division: "500-104",
};
const MOROZOV: Fixture = {
  surname: "Морозов",
  name: "Дмитрий",
  patronymic: "Петрович",
  birth: "01.12.1969",
  snils: "163-840-217 60",
  series: "50 14",
  number: "778899",
  issuedOn: "10.12.2014",
  issuedBy: "ГУ МВД России по Новосибирской области",
  division: "540-003",
};
const VOLKOV: Fixture = {
  surname: "Волков",
  name: "Сергей",
  patronymic: "Николаевич",
  birth: "21.06.1988",
  snils: "174-925-306 91",
  series: "60 08",
  number: "223344",
  issuedOn: "02.07.2008",
  issuedBy: "ГУ МВД России по Ростовской области",
  division: "610-016",
};

const hydrated = () => test.info().project.name === "hydrated";

/** Registers `f` as a new citizen and follows the profile's next step to
 * «Подтверждение личности». */
async function registerAs(page: Page, request: Parameters<typeof register>[1], f: Fixture): Promise<string> {
  const phone = uniquePhone();
  await register(page, request, {
    surname: f.surname,
    name: f.name,
    patronymic: f.patronymic,
    birth: f.birth,
    phone,
    password: STRONG_PASSWORD,
  });
  await expect(page.locator("#level-current")).toContainText("«Упрощённая»");
  await page.getByRole("link", { name: "Подтвердить личность" }).click();
  await expect(page).toHaveURL(/\/profile\/verify$/);
  await expect(page.getByRole("heading", { name: "Подтверждение личности", level: 1 })).toBeVisible();
  if (hydrated()) await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
  return phone;
}

async function fill(page: Page, f: Fixture) {
  await page.locator("#snils").fill(f.snils);
  await page.locator("#passport_series").fill(f.series);
  await page.locator("#passport_number").fill(f.number);
  await page.locator("#passport_issued_on").fill(f.issuedOn);
  await page.locator("#passport_issued_by").fill(f.issuedBy);
  await page.locator("#passport_division").fill(f.division);
}

async function send(page: Page) {
  await page.getByRole("button", { name: "Отправить на проверку" }).click();
  await expect(page.locator("#verify-pending")).toContainText("На проверке");
}

/** Waits for the registries' verdict: the page asks again by itself, or,
 * without JavaScript, the person presses «Обновить». */
async function verdict(page: Page) {
  const done = page.locator("#verify-done, #verify-refused, #verify-failed");
  if (hydrated()) {
    await expect(done).toBeVisible({ timeout: 15_000 });
    return;
  }
  for (let i = 0; i < 30 && (await done.count()) === 0; i++) {
    await page.waitForTimeout(500);
    await page.getByRole("link", { name: "Обновить" }).click();
    await page.waitForLoadState();
  }
  await expect(done).toBeVisible();
}

test.describe("«Подтверждение личности»", () => {
  test("a registered citizen reaches «Стандартная» through the registry check", async ({ page, request }) => {
    const f = hydrated() ? SOKOLOVA : NOVIKOVA;
    const phone = await registerAs(page, request, f);
    await expect(page.locator("#verify-name")).toHaveText(`${f.surname} ${f.name} ${f.patronymic}`);
    await fill(page, f);
    await send(page);
    await verdict(page);
    await expect(page.locator("#verify-done")).toContainText("Личность подтверждена");
    await expect(page.locator("#verify-done")).toContainText("«Стандартная»");
    await expect(page.getByRole("button", { name: "Отправить на проверку" })).toHaveCount(0);
    // The verdict came as a notice too.
    const sms = (await outbox(request)).filter((m) => m.recipient === normalPhone(phone));
    expect(sms.map((m) => m.body)).toContain("Госпортал: Личность подтверждена. Подробнее в личном кабинете.");
    // «Личные данные» keeps the СНИЛС and the passport now.
    await open(page, "/profile");
    await expect(page.getByText(f.snils, { exact: true })).toBeVisible();
    await expect(page.getByText(`${f.series} ${f.number}, выдан ${f.issuedBy} ${f.issuedOn}`, { exact: false })).toBeVisible();
  });

  test("a wrong passport number is refused naming the passport; the typed values stay to correct and resend", async ({
    page,
    request,
  }) => {
    const f = hydrated() ? MOROZOV : VOLKOV;
    await registerAs(page, request, f);
    const wrong = f.number.slice(0, 5) + (f.number.endsWith("0") ? "1" : "0");
    await fill(page, { ...f, number: wrong });
    await send(page);
    await verdict(page);
    await expect(page.locator("#verify-refused")).toContainText("Паспорт: сведения не найдены в МВД России");
    await expect(page.locator("#verify-refused")).not.toContainText("СНИЛС: сведения не найдены");
    await expect(page.locator("#passport-error")).toContainText("Сведения не найдены в МВД России");
    // Everything typed is still there.
    await expect(page.locator("#snils")).toHaveValue(f.snils);
    await expect(page.locator("#passport_number")).toHaveValue(wrong);
    await expect(page.locator("#passport_issued_on")).toHaveValue(f.issuedOn);
    await expect(page.locator("#passport_division")).toHaveValue(f.division);
    // Corrected and sent again: confirmed.
    await page.locator("#passport_number").fill(f.number);
    await send(page);
    await verdict(page);
    await expect(page.locator("#verify-done")).toContainText("«Стандартная»");
  });

  test("a СНИЛС with a wrong control number is caught before anything is sent", async ({ page, request }) => {
    await registerAs(page, request, { ...SOKOLOVA, surname: "Смирнова", name: "Анна", patronymic: "Петровна" });
    await fill(page, { ...SOKOLOVA, snils: "156-372-948 95" });
    const message = page.locator("#snils-error");
    if (hydrated()) {
      // The browser checks it as soon as the field is left.
      await page.locator("#snils").blur();
      await expect(message).toHaveText(/В номере СНИЛС ошибка/);
    }
    await page.getByRole("button", { name: "Отправить на проверку" }).click();
    await expect(message).toHaveText(/В номере СНИЛС ошибка/);
    await expect(page.locator("#snils")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#passport_number")).toHaveValue(SOKOLOVA.number);
    await expect(page.locator("#verify-pending")).toHaveCount(0);
  });
});
