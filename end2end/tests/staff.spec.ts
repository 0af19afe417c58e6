// The staff console as staff and citizens meet it: a citizen is refused at
// /staff; staff sign in on the same page with an authenticator app (codes
// computed here from the demo keys); an administrator adds a member, who
// must change the temporary password and set up an app before /staff
// opens; roles change; a disabled member is signed out at once.
import { test, expect, Page } from "./support/test";
import { STRONG_PASSWORD, codeFor, normalPhone, open, outbox, signIn, uniquePhone } from "./support/account";
import { totp } from "./support/totp";
import { staffSignIn } from "./support/staff";

const ADMIN = { phone: "+79160000104", password: "Admin-Demo-2026!x", key: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" };
const SUPPORT = { phone: "+79160000103", password: "Support-Demo-2026!", key: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" };

test.describe("the staff console", () => {
  test("a citizen gets 403 at /staff, and a signed-out visitor is sent to «Войти»", async ({ page }) => {
    const anon = await page.goto("/staff");
    await expect(page).toHaveURL(/\/login\?next=%2Fstaff/);
    expect(anon?.ok()).toBeTruthy();
    await signIn(page, "+79160000001", "Gosportal-Demo-2026!");
    await expect(page).toHaveURL(/\/profile/);
    const res = await page.goto("/staff");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Недостаточно прав" })).toBeVisible();
    const admin = await page.goto("/staff/admin");
    expect(admin?.status()).toBe(403);
    // The server functions refuse on their own, whatever the page does.
    const list = await page.request.post("/api/staff/list");
    expect(list.status()).toBe(403);
  });

  test("staff sign in with the app and see only their roles' pages", async ({ page }) => {
    await staffSignIn(page, SUPPORT);
    await expect(page).toHaveURL(/\/staff$/);
    await expect(page.getByRole("heading", { name: "Кабинет сотрудника", level: 1 })).toBeVisible();
    await expect(page.locator("#staff-roles")).toContainText("Служба поддержки");
    await expect(page.getByRole("link", { name: "Кабинет сотрудника" }).first()).toBeVisible();
    await open(page, "/staff/support");
    await expect(page.getByRole("heading", { name: "Служба поддержки", level: 1 })).toBeVisible();
    const res = await page.goto("/staff/admin");
    expect(res?.status()).toBe(403);
  });
});

test.describe("staff accounts", () => {
  test("an admin adds a member, who changes the temporary password and sets up an app before /staff opens; roles change; disabling signs them out", async ({
    page,
    browser,
    request,
  }) => {
    await staffSignIn(page, ADMIN);
    await open(page, "/staff/admin");
    await expect(page.getByRole("heading", { name: "Сотрудники" })).toBeVisible();

    // A form error keeps what was typed.
    const phone = uniquePhone();
    await page.locator("#surname").fill("Орлова");
    await page.locator("#name").fill("Анна");
    await page.locator("#phone").fill(phone);
    await page.getByRole("button", { name: "Добавить сотрудника" }).click();
    await expect(page.locator("#new-roles-error")).toContainText("Выберите хотя бы одну роль");
    await expect(page.locator("#phone")).toHaveValue(phone);

    await page.getByLabel("Служба поддержки").last().check();
    await page.getByRole("button", { name: "Добавить сотрудника" }).click();
    await expect(page.locator("#staff-notice")).toContainText("Временный пароль отправлен");
    const member = page.locator("#staff-list > li", { hasText: phone });
    await expect(member).toContainText("не подключён");
    await expect(page.locator("#staff-audit")).toContainText("Добавлен");

    // The temporary password reaches the new member's phone only.
    const temporaryPassword = async () => {
      let found = "";
      await expect
        .poll(async () => {
          const sms = (await outbox(request)).find((m) => m.recipient === normalPhone(phone) && m.body.includes("временный пароль"));
          found = sms?.body.match(/временный пароль [^:]+: (\S+)\./)?.[1] ?? "";
          return found;
        })
        .not.toBe("");
      return found;
    };
    const temporary = await temporaryPassword();
    await expect(page.locator("body")).not.toContainText(temporary);

    // The member: a code to the phone (a staff sign-in never ends at the
    // password), the temporary password changed, then an app set up.
    // The member's own browser, with scripts on or off as this project has them.
    const use = test.info().project.use;
    const other = await browser.newContext({ javaScriptEnabled: use.javaScriptEnabled, baseURL: use.baseURL, locale: "ru-RU" });
    const them = await other.newPage();
    await signIn(them, phone, temporary);
    await expect(them).toHaveURL(/\/login\/second\?flow=.*method=sms/);
    await them.locator("#code").fill(await codeFor(request, phone));
    await them.getByRole("button", { name: "Подтвердить" }).click();
    await expect(them).toHaveURL(/\/password\/expired/);
    await them.locator("#password").fill(STRONG_PASSWORD);
    await them.locator("#password2").fill(STRONG_PASSWORD);
    await them.getByRole("button", { name: "Сохранить пароль" }).click();
    await expect(them).toHaveURL(/\/security\/2fa\?staff=1/);
    await expect(them.locator("#staff-setup")).toContainText("SMS для сотрудников не подходит");
    await them.getByRole("button", { name: "Подключить приложение" }).click();
    const key = await them.locator("#totp-key").innerText();
    await them.locator("#code").fill(totp(key));
    await them.getByRole("button", { name: "Подключить", exact: true }).click();
    await expect(them).toHaveURL(/\/security\/2fa\/backup/);
    await open(them, "/staff");
    await expect(them.locator("#staff-roles")).toContainText("Служба поддержки");
    await expect(them.locator("#staff-roles")).not.toContainText("Оператор МФЦ");

    // The admin gives another role; the member sees it.
    await open(page, "/staff/admin");
    const row = page.locator("#staff-list > li", { hasText: phone });
    await row.getByText("Изменить роли").click();
    await row.getByLabel("Оператор МФЦ").check();
    await row.getByLabel("Офис МФЦ (для оператора)").fill("МФЦ Арбат");
    await row.getByRole("button", { name: "Сохранить роли" }).click();
    await expect(page.locator("#staff-notice")).toContainText("Роли сохранены");
    await expect(page.locator("#staff-list > li", { hasText: phone })).toContainText("Оператор МФЦ");
    await open(them, "/staff");
    await expect(them.locator("#staff-roles")).toContainText("Оператор МФЦ");

    // Disabled: the member's next page is «Войти», and sign-in is refused.
    const row2 = () => page.locator("#staff-list > li", { hasText: phone });
    await row2().getByRole("button", { name: "Отключить" }).click();
    await expect(page.locator("#staff-notice")).toContainText("Сотрудник отключён");
    await expect(page.locator("#staff-audit")).toContainText("Отключён");
    await them.goto("/staff");
    await expect(them).toHaveURL(/\/login\?next=/);
    await signIn(them, phone, STRONG_PASSWORD);
    await expect(them.locator("#form-error")).toContainText("Учётная запись сотрудника отключена");

    // Enabled again, with a new temporary password: the app is gone, so the
    // next sign-in starts over (code to the phone, new password, new app).
    await row2().getByRole("button", { name: "Включить" }).click();
    await expect(page.locator("#staff-notice")).toContainText("снова может входить");
    await row2().getByRole("button", { name: "Выдать новый временный пароль" }).click();
    await expect(page.locator("#staff-notice")).toContainText("Новый временный пароль отправлен");
    await expect(page.locator("#staff-audit")).toContainText("Выдан временный пароль");
    await expect(row2()).toContainText("не подключён");
    const again = await temporaryPassword();
    expect(again).not.toBe(temporary);
    await signIn(them, phone, again);
    await expect(them).toHaveURL(/\/login\/second\?flow=.*method=sms/);
    await other.close();
  });

  test("the admin's own row offers no «Отключить»", async ({ page }) => {
    await staffSignIn(page, ADMIN);
    await open(page, "/staff/admin");
    const me = page.locator("#staff-list > li", { hasText: "Это вы" });
    await expect(me).toHaveCount(1);
    await expect(me.getByRole("button", { name: "Отключить" })).toHaveCount(0);
  });
});
