// The МФЦ operator's console as an operator and citizens meet it: a person
// registered in person gets a sheet (a real PDF with the login and the
// one-time password) and sets their own password at the first sign-in; an
// existing citizen is confirmed with the code from their own phone, typed
// on the PIN pad; each citizen sees the operator's visit in «Кто обращался
// к моим данным».
import { readFileSync } from "node:fs";
import { test, expect } from "./support/test";
import { STRONG_PASSWORD, codeFor, newPerson, open, register, signIn, signOut, uniquePhone } from "./support/account";
import { OPERATOR, staffSignIn } from "./support/staff";
import { pdfText } from "./support/pdf";

/** A СНИЛС nobody else in this run has, with its control number right. */
function uniqueSnils(): string {
  const d = String(100_000_000 + Math.floor(Math.random() * 899_999_999)).split("").map(Number);
  const sum = d.reduce((s, x, i) => s + x * (9 - i), 0);
  let control = sum > 101 ? sum % 101 : sum;
  if (control >= 100) control = 0;
  const s = d.join("");
  return `${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6, 9)} ${String(control).padStart(2, "0")}`;
}

function uniquePassport(): { series: string; number: string } {
  const n = String(Math.floor(Math.random() * 1e10)).padStart(10, "0");
  return { series: `${n.slice(0, 2)} ${n.slice(2, 4)}`, number: n.slice(4) };
}

test.describe("the МФЦ operator", () => {
  test("registers a person in person: activation code, a PDF sheet with the login, the phone confirmed, and a new password at the first sign-in", async ({
    page,
    request,
    browser,
  }) => {
    const snils = uniqueSnils();
    const passport = uniquePassport();
    const phone = uniquePhone();
    await staffSignIn(page, OPERATOR);
    await open(page, "/staff/mfc");
    await expect(page.getByRole("heading", { name: "Оператор МФЦ", level: 1 })).toBeVisible();
    // A mistake is named next to its field and nothing typed is lost.
    await page.locator("#surname").fill("Кузнецова");
    await page.locator("#name").fill("Ольга");
    await page.locator("#patronymic").fill("Игоревна");
    await page.locator("#birth_date").fill("05.06.1988");
    await page.locator("#snils").fill("112-233-445 96");
    await page.locator("#passport_series").fill(passport.series);
    await page.locator("#passport_number").fill(passport.number);
    await page.locator("#passport_issued_on").fill("10.07.2008");
    await page.locator("#passport_issued_by").fill("ОУФМС России по Московской обл.");
    await page.locator("#passport_division").fill("500-001");
    await page.locator("#phone").fill(phone);
    await page.getByRole("button", { name: "Зарегистрировать" }).click();
    await expect(page.locator("#snils-error")).toContainText("СНИЛС");
    await expect(page.locator("#surname")).toHaveValue("Кузнецова");
    await expect(page.locator("#passport_number")).toHaveValue(passport.number);
    await page.locator("#snils").fill(snils);
    await page.getByRole("button", { name: "Зарегистрировать" }).click();

    await expect(page).toHaveURL(/\/staff\/mfc\/visit\?task=.*registered=1/);
    await expect(page.locator("#citizen-level")).toHaveText("Подтверждённая");
    await expect(page.locator("#issued-login")).toHaveText(snils);
    const code = (await page.locator("#activation-code").innerText()).trim();
    expect(code).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);

    const download = page.waitForEvent("download");
    await page.locator("#sheet-link").click();
    const file = await (await download).path();
    const pdf = readFileSync(file!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.subarray(-8).toString()).toContain("%%EOF");
    const text = pdfText(pdf);
    expect(text).toContain("Кузнецова Ольга Игоревна");
    expect(text).toContain(snils);
    expect(text).toContain(code);

    // The phone typed at the desk is confirmed by its owner on the PIN pad.
    await page.getByRole("button", { name: "Подтвердить контакт кодом" }).click();
    await expect(page).toHaveURL(/\/staff\/mfc\/pin\?flow=/);
    await expect(page.getByRole("heading", { name: "Подтверждение телефона", level: 1 })).toBeVisible();
    await page.locator("#pin-code").fill(await codeFor(request, phone));
    await page.getByRole("button", { name: "Подтвердить", exact: true }).click();
    await expect(page).toHaveURL(/contact=1/);
    await expect(page.locator("#citizen-contact")).toContainText("(подтверждён)");

    // The person, in their own browser: the one-time password, then their own.
    const use = test.info().project.use;
    const own = await browser.newContext({ javaScriptEnabled: use.javaScriptEnabled, baseURL: use.baseURL, locale: "ru-RU" });
    const them = await own.newPage();
    await signIn(them, snils, code);
    await expect(them).toHaveURL(/\/password\/expired/);
    await them.locator("#password").fill(STRONG_PASSWORD);
    await them.locator("#password2").fill(STRONG_PASSWORD);
    await them.getByRole("button", { name: "Сохранить пароль" }).click();
    await expect(them).toHaveURL(/\/profile/);
    await expect(them.locator("#level-current")).toContainText("Подтверждённая");
    await expect(them.locator("#access-list")).toContainText("Оператор МФЦ");
    await expect(them.locator("#access-list")).toContainText("Регистрация в МФЦ");
    // The one-time password opens nothing any more.
    await signOut(them);
    await signIn(them, snils, code);
    await expect(them.locator("#login-error, [role=alert]").first()).toBeVisible();
    await expect(them).toHaveURL(/\/login/);
    await own.close();
  });

  test("confirms an existing citizen with the code from the citizen's own phone, typed on the PIN pad", async ({
    page,
    request,
    browser,
  }) => {
    const use = test.info().project.use;
    const own = await browser.newContext({ javaScriptEnabled: use.javaScriptEnabled, baseURL: use.baseURL, locale: "ru-RU" });
    const citizen = await own.newPage();
    const person = newPerson("phone");
    await register(citizen, request, person);
    await expect(citizen.locator("#level-current")).toContainText("Упрощённая");
    await expect(citizen.locator("#access-empty")).toBeVisible();

    await staffSignIn(page, OPERATOR);
    await open(page, "/staff/mfc");
    await page.locator("#query").fill("Иванов");
    await page.getByRole("button", { name: "Найти" }).click();
    await expect(page.locator("#query-error")).toContainText("СНИЛС");
    await page.locator("#query").fill(person.phone!);
    await page.getByRole("button", { name: "Найти" }).click();
    await expect(page).toHaveURL(/\/staff\/mfc\/visit\?task=/);
    await expect(page.locator("#citizen-title")).toContainText("Смирнова Анна Петровна");
    await expect(page.locator("#citizen-level")).toHaveText("Упрощённая");
    // Registered online: the СНИЛС and passport come from the originals first.
    const passport = uniquePassport();
    await page.locator("#snils").fill(uniqueSnils());
    await page.locator("#passport_series").fill(passport.series);
    await page.locator("#passport_number").fill(passport.number);
    await page.locator("#passport_issued_on").fill("10.07.2008");
    await page.locator("#passport_issued_by").fill("ГУ МВД России по г. Москве");
    await page.locator("#passport_division").fill("77");
    await page.getByRole("button", { name: "Внести" }).click();
    await expect(page.locator("#passport_division-error")).toContainText("Код подразделения");
    await expect(page.locator("#passport_number")).toHaveValue(passport.number);
    await page.locator("#passport_division").fill("770-001");
    await page.getByRole("button", { name: "Внести" }).click();
    await expect(page).toHaveURL(/documents=1/);
    await page.getByRole("button", { name: "Подтвердить личность" }).click();
    await expect(page).toHaveURL(/\/staff\/mfc\/pin\?flow=/);
    // The operator's screen never shows the code.
    const code = await codeFor(request, person.phone!);
    await expect(page.locator("body")).not.toContainText(code);
    const wrong = code === "000000" ? "111111" : "000000";
    await page.locator("#pin-code").fill(wrong);
    await page.getByRole("button", { name: "Подтвердить", exact: true }).click();
    await expect(page.locator("#pin-code-error")).toContainText("Неверный код");
    if (use.javaScriptEnabled === false) {
      await page.locator("#pin-code").fill(code);
    } else {
      await page.locator("#pin-code").fill("");
      for (const d of code) await page.getByRole("button", { name: d, exact: true }).click();
      await expect(page.locator("#pin-code")).toHaveValue(code);
    }
    await page.getByRole("button", { name: "Подтвердить", exact: true }).click();
    await expect(page).toHaveURL(/confirmed=1/);
    await expect(page.locator("#citizen-level")).toHaveText("Подтверждённая");
    await page.getByRole("button", { name: "Завершить приём" }).click();
    await expect(page).toHaveURL(/\/staff\/mfc\?ended=1/);

    await open(citizen, "/profile");
    await expect(citizen.locator("#level-current")).toContainText("Подтверждённая");
    const rows = citizen.locator("#access-list");
    await expect(rows).toContainText("Оператор МФЦ, МФЦ района Тверской");
    await expect(rows).toContainText("Подтверждение личности");
    await expect(rows).toContainText("Поиск по телефону");
    await expect(rows).toContainText("Внесены СНИЛС и паспорт");
    // «Сообщить о неожиданном обращении»: the administrators are told.
    await citizen.locator(".access-report summary").first().click();
    await citizen.getByRole("button", { name: "Сообщить о нарушении" }).first().click();
    await expect(citizen.locator("#profile-notice")).toContainText("администраторам");
    await expect(citizen.locator("#access-list")).toContainText("Вы сообщили о нарушении");
    await own.close();
  });
});
