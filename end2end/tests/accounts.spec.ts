// Accounts as a person uses them: registration by phone and by e-mail with
// codes from the dev outbox, sign-in by every identifier, wrong password,
// lockout and unlock through recovery, password expiry, profile changes
// with codes, sign-out, sessions that idle out. Tests without a tag run
// twice: hydrated and with JavaScript off.
import { test, expect, Page } from "./support/test";
import { hydrated } from "./support/page";
import { startServer, freshDataDir, Running } from "./support/server";
import {
  STRONG_PASSWORD,
  codeFor,
  normalPhone,
  outbox,
  fillRegistration,
  newPerson,
  register,
  signIn,
  signOut,
  open,
  uniquePhone,
} from "./support/account";

const IVANOV = { phone: "+79160000001", password: "Gosportal-Demo-2026!" };

async function ready(page: Page, js: boolean) {
  if (js) await hydrated(page);
}

test.describe("registration", () => {
  test("by phone: form, code from SMS, signed in at level «упрощённая»", async ({ page, request }, info) => {
    const p = newPerson("phone");
    await register(page, request, p);
    await expect(page.locator("#profile-notice")).toContainText("Учётная запись создана");
    await expect(page.getByText("Смирнова Анна Петровна")).toBeVisible();
    await expect(page.locator("#level-current")).toHaveText("Ваш уровень — «Упрощённая».");
    await expect(page.locator(".nav-user")).toHaveText("Смирнова А. П.");
    await signOut(page);
    await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
    // And back in with the new password.
    await signIn(page, p.phone!, p.password);
    await expect(page).toHaveURL(/\/profile$/);
    void info;
  });

  test("by e-mail: the code comes by letter", async ({ page, request }) => {
    const p = newPerson("email");
    await register(page, request, p);
    await expect(page.getByText(p.email!)).toBeVisible();
  });

  test("a phone that already has an account gets the same answer; its holder is told instead", async ({ page, request }) => {
    const known = normalPhone("8 (916) 000-00-01");
    const notices = async () =>
      (await outbox(request)).filter((m) => m.recipient === known && m.body.includes("уже указан в вашей учётной записи"));
    const before = (await notices()).length;
    await fillRegistration(page, { ...newPerson("phone"), phone: "8 (916) 000-00-01" });
    // The code page, as for a new number: the page tells nobody who is registered.
    await expect(page).toHaveURL(/\/register\/confirm\?flow=/);
    await expect(page.locator("#code")).toBeVisible();
    await expect(page.getByText("уже указан")).toHaveCount(0);
    // The holder of the number reads a notice, not a code.
    await expect.poll(async () => (await notices()).length).toBeGreaterThan(before);
    expect((await notices()).every((n) => !/\d{6}/.test(n.body))).toBeTruthy();
  });

  test("every field is checked and named, consent is required", async ({ page }) => {
    await open(page, "/register");
    await page.locator("#surname").fill("Smith1");
    await page.locator("#birth_date").fill("31.02.1990");
    await page.locator("#password").fill("qwerty");
    await page.getByRole("button", { name: "Зарегистрироваться" }).click();
    await expect(page.locator("#surname-error")).toBeVisible();
    await expect(page.locator("#name-error")).toBeVisible();
    await expect(page.locator("#birth_date-error")).toBeVisible();
    await expect(page.locator("#phone-error")).toContainText("Укажите мобильный телефон или электронную почту");
    await expect(page.locator("#password-error")).toContainText("не соответствует требованиям");
    await expect(page.locator("#consent-error")).toContainText("Подтвердите согласие");
  });

  test("a wrong code says how many tries are left; five wrong kill the code", async ({ page, request }) => {
    const p = newPerson("phone");
    await fillRegistration(page, p);
    await expect(page).toHaveURL(/\/register\/confirm/);
    const code = await codeFor(request, p.phone!);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let left = 4; left >= 1; left--) {
      await page.locator("#code").fill(wrong);
      await page.getByRole("button", { name: "Подтвердить" }).click();
      await expect(page.locator("#code-error")).toHaveText(`Неверный код. Осталось попыток: ${left}`);
    }
    await page.locator("#code").fill(wrong);
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page.locator("#code-error")).toContainText("Попытки закончились");
    await page.locator("#code").fill(code);
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page.locator("#code-error")).toContainText("слишком много раз");
  });

  test("a new code only after 60 seconds; other channel and a voice call offered", async ({ page, request }, info) => {
    const p = { ...newPerson("phone"), email: `both${Date.now()}@example.ru` };
    await fillRegistration(page, p);
    await expect(page).toHaveURL(/\/register\/confirm/);
    await ready(page, info.project.name === "hydrated");
    await expect(page.locator("#code-sent")).toContainText("в SMS на номер +7 9");
    await expect(page.getByText(/Код действует ещё \d+:\d\d/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Отправить код на электронную почту" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Получить код по телефону" })).toBeVisible();
    await expect(page.getByText(/Новый код можно запросить через \d+ с/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Отправить код ещё раз", exact: true })).toBeDisabled();
    void request;
  });
});

test.describe("sign-in", () => {
  for (const [what, login] of [
    ["phone as people type it", "8 (916) 000-00-01"],
    ["e-mail in capitals", "  IVANOV@example.RU "],
    ["СНИЛС", "112-233-445 95"],
    ["ИНН", "500100732259"],
  ]) {
    test(`by ${what}`, async ({ page }) => {
      await signIn(page, login, IVANOV.password);
      await expect(page).toHaveURL(/\/profile$/);
      await expect(page.getByText("Иванов Иван Иванович")).toBeVisible();
      await expect(page.getByText("45 10 123456", { exact: false })).toBeVisible();
      await signOut(page);
    });
  }

  test("a wrong password and an unknown login get the same message, and the login stays", async ({ page }) => {
    await signIn(page, uniquePhone(), "Неверный-пароль-1!");
    const unknown = await page.locator("#form-error").innerText();
    expect(unknown).toContain("Неверный логин или пароль");
    await expect(page.locator("#login")).not.toHaveValue("");
    expect(unknown).not.toMatch(/не найден|не зарегистрирован/);
  });

  test("a refused sign-in answers 400 with the message, not a server error @js", async ({ request }) => {
    const res = await request.post("/api/account/sign_in", {
      form: { login: uniquePhone(), password: "Неверный-пароль-1!" },
    });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain("Неверный логин или пароль");
    const anonymous = await request.post("/api/account/profile");
    expect(anonymous.status()).toBe(401);
  });

  test("a sign-in posted from another site's page is refused @js", async ({ request }) => {
    const forged = await request.post("/api/account/sign_in", {
      form: { login: "+79160000001", password: "Gosportal-Demo-2026!" },
      headers: { Origin: "https://evil.example" },
    });
    expect(forged.status()).toBe(403);
    expect(forged.headers()["set-cookie"] ?? "").not.toContain("portal_session=");
  });

  test("a signed-in page renders signed in on the server, and needs sign-in otherwise", async ({ page }) => {
    await open(page, "/profile");
    await expect(page).toHaveURL(/\/login\?next=%2Fprofile/);
    await expect(page.locator("#login-notice")).toContainText("Войдите");
    await expect(page.locator("#public-hint")).toContainText("через 15 мин бездействия");
    await page.locator("#login").fill(IVANOV.phone);
    await page.locator("#password").fill(IVANOV.password);
    await page.getByRole("button", { name: "Войти", exact: true }).click();
    await expect(page).toHaveURL(/\/profile$/);
    const html = await (await page.request.get("/profile")).text();
    expect(html).toContain("Иванов И. И.");
    expect(html).not.toContain('class="btn btn-primary nav-login"');
    await signOut(page);
    const after = await (await page.request.get("/profile")).text();
    expect(after).not.toContain("Иванов И. И.");
  });

  test("five wrong passwords lock the account; recovery unlocks it at once", async ({ page, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    await signOut(page);
    for (let i = 1; i <= 4; i++) {
      await signIn(page, p.phone!, `Неверный-пароль-${i}!`);
      await expect(page.locator("#form-error")).toContainText(`Осталось попыток до временной блокировки входа: ${5 - i}`);
    }
    await signIn(page, p.phone!, "Неверный-пароль-5!");
    await expect(page.locator("#form-error")).toContainText("Вход временно заблокирован");
    // Even the right password is refused now; the notice went to the owner.
    await signIn(page, p.phone!, p.password);
    await expect(page.locator("#form-error")).toContainText("Вход временно заблокирован");
    const box = await (await request.post("/api/dev_outbox", { headers: { Accept: "application/json" } })).json();
    const phone = "+7" + p.phone!.replace(/\D/g, "").slice(-10);
    expect(box.some((m: { recipient: string; body: string }) => m.recipient === phone && m.body.includes("заблокирован"))).toBe(true);

    await page.getByRole("link", { name: "Восстановить пароль и снять блокировку" }).click();
    await page.locator("#login").fill(p.phone!);
    await page.getByRole("button", { name: "Получить код" }).click();
    await expect(page).toHaveURL(/\/recover\/confirm/);
    const code = await codeFor(request, p.phone!);
    const fresh = "Новый-Зелёный-Чай-2027!";
    await page.locator("#code").fill(code);
    await page.locator("#password").fill(fresh);
    await page.locator("#password2").fill(fresh);
    await page.getByRole("button", { name: "Сохранить пароль" }).click();
    await expect(page).toHaveURL(/\/login\?recovered=1/);
    await signIn(page, p.phone!, fresh);
    await expect(page).toHaveURL(/\/profile$/);
  });

  test("recovery answers the same for an unknown login", async ({ page }) => {
    await open(page, "/recover");
    await page.locator("#login").fill(uniquePhone());
    await page.getByRole("button", { name: "Получить код" }).click();
    await expect(page).toHaveURL(/\/recover\/confirm\?flow=/);
    await expect(page.locator("#code-sent")).toContainText("в SMS на номер +7 9");
    await page.locator("#code").fill("123456");
    await page.locator("#password").fill(STRONG_PASSWORD);
    await page.locator("#password2").fill(STRONG_PASSWORD);
    await page.getByRole("button", { name: "Сохранить пароль" }).click();
    await expect(page.locator("#code-error")).toContainText("Неверный код");
  });
});

test.describe("account pages", () => {
  test("profile: phone changed with a code to the new number, postal address edited", async ({ page, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    // Bad address: named, kept.
    await page.locator("#postal_address").fill("1");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.locator("#postal_address-error")).toContainText("Укажите адрес полностью");
    await page.locator("#postal_address").fill("101000, г. Москва, ул. Мясницкая, д. 1, кв. 2");
    await page.getByRole("button", { name: "Сохранить" }).click();
    await expect(page.locator("#profile-notice")).toContainText("Почтовый адрес сохранён");
    await expect(page.locator("#postal_address")).toHaveValue("101000, г. Москва, ул. Мясницкая, д. 1, кв. 2");

    const newPhone = uniquePhone();
    await page.locator("#new-phone").fill(newPhone);
    await page.getByRole("button", { name: "Изменить" }).first().click();
    await expect(page).toHaveURL(/\/profile\/confirm\?flow=/);
    const code = await codeFor(request, newPhone);
    await page.locator("#code").fill(code);
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page.locator("#profile-notice")).toContainText("Номер телефона подтверждён");
    await signOut(page);
    await signIn(page, newPhone, p.password);
    await expect(page).toHaveURL(/\/profile$/);
    await signOut(page);
    await signIn(page, p.phone!, p.password);
    await expect(page.locator("#form-error")).toContainText("Неверный логин или пароль");
  });

  test("signed-in pages are never cached and sign-out clears the browser", async ({ page, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    const profile = await page.request.get("/profile");
    expect(profile.headers()["cache-control"]).toBe("no-store");
    const api = await page.request.post("/api/account/profile");
    expect(api.headers()["cache-control"]).toBe("no-store");
    const out = page.waitForResponse((r) => r.url().includes("/api/account/sign_out"));
    await page.getByRole("button", { name: "Выйти" }).first().click();
    expect((await (await out).allHeaders())["clear-site-data"]).toBe('"cache", "storage"');
    await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
  });

  test("«Безопасность»: password change checks the current one", async ({ page, request }) => {
    const p = newPerson("phone");
    await register(page, request, p);
    await open(page, "/security");
    await page.locator("#current").fill("Не-тот-пароль-1!");
    await page.locator("#password").fill("Другой-Синий-Кит-2027!");
    await page.locator("#password2").fill("Другой-Синий-Кит-2027!");
    await page.getByRole("button", { name: "Изменить пароль" }).click();
    await expect(page.locator("#current-error")).toContainText("Текущий пароль введён неверно");
    await page.locator("#current").fill(p.password);
    await page.locator("#password").fill(p.password);
    await page.locator("#password2").fill(p.password);
    await page.getByRole("button", { name: "Изменить пароль" }).click();
    await expect(page.locator("#password-error")).toContainText("уже использовался");
    await page.locator("#current").fill(p.password);
    await page.locator("#password").fill("Другой-Синий-Кит-2027!");
    await page.locator("#password2").fill("Другой-Синий-Кит-2027!");
    await page.getByRole("button", { name: "Изменить пароль" }).click();
    await expect(page.locator("#security-notice")).toContainText("Пароль изменён");
  });

  test("an expired password must be changed before anything else @js", async ({ page }) => {
    await signIn(page, "+79160000002", "Petrova-Demo-2026!");
    await expect(page).toHaveURL(/\/password\/expired$/);
    await open(page, "/profile");
    await expect(page).toHaveURL(/\/password\/expired$/);
    await hydrated(page);
    await page.locator("#password").fill("Зелёная-Лампа-Горит-27!");
    await page.locator("#password2").fill("Зелёная-Лампа-Горит-27!");
    await page.getByRole("button", { name: "Сохранить пароль" }).click();
    await expect(page).toHaveURL(/\/profile\?password_renewed=1/);
    await expect(page.getByText("Петрова Мария Сергеевна")).toBeVisible();
  });

  test("password hints: checklist as you type, Cyrillic layout warning @js", async ({ page }) => {
    await open(page, "/register");
    await hydrated(page);
    const rules = page.locator("#password-rules");
    await page.locator("#password").pressSequentially("abc");
    await expect(rules.locator("li.unmet", { hasText: "Не менее 12 символов" })).toBeVisible();
    await expect(rules.locator("li.met", { hasText: "Строчная буква" })).toBeVisible();
    await page.locator("#password").fill("Синий-Кит-Плывёт-2026!");
    await expect(rules.locator("li.unmet")).toHaveCount(0);
    await expect(page.locator("#password-hint")).toContainText("русские буквы");
    await page.locator("#password2").fill("другой");
    await expect(page.locator("#password2-error")).toHaveText("Пароли не совпадают");
  });
});

test.describe("a short re-authentication window", () => {
  let server: Running;
  test.beforeAll(async () => {
    server = await startServer({ PORTAL_DB: `surrealkv://${freshDataDir()}`, PORTAL_REAUTH_WINDOW: "3s" });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("changing the phone on a session left open asks for the password first", async ({ page, request }) => {
    const p = newPerson("phone");
    await fillRegistration(page, p, server.url);
    await page.locator("#code").fill(await codeFor(request, p.phone!, server.url));
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page).toHaveURL(/\/profile/);
    // The password proven at registration is older than the window now.
    await page.waitForTimeout(3_500);
    const newPhone = uniquePhone();
    await page.locator("#new-phone").fill(newPhone);
    await page.getByRole("button", { name: "Изменить" }).first().click();
    await expect(page.locator("#phone-password-error")).toContainText("введите пароль от личного кабинета");
    await expect(page.locator("#new-phone")).toHaveValue(newPhone);
    // No code went to the new number.
    const sent = (await outbox(request, server.url)).filter((m) => m.recipient === normalPhone(newPhone));
    expect(sent).toHaveLength(0);
    await page.locator("#phone-password").fill("Неверный-Пароль-1!");
    await page.getByRole("button", { name: "Изменить" }).first().click();
    await expect(page.locator("#phone-password-error")).toContainText("Пароль введён неверно");
    await page.locator("#phone-password").fill(p.password);
    await page.getByRole("button", { name: "Изменить" }).first().click();
    await expect(page).toHaveURL(/\/profile\/confirm\?flow=/);
    await page.locator("#code").fill(await codeFor(request, newPhone, server.url));
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page.locator("#profile-notice")).toContainText("Номер телефона подтверждён");
  });
});

test.describe("short timeouts", () => {
  let server: Running;
  test.beforeAll(async () => {
    server = await startServer({
      PORTAL_DB: `surrealkv://${freshDataDir()}`,
      PORTAL_CODE_TTL: "3s",
      PORTAL_CODE_RESEND_AFTER: "2s",
      PORTAL_SESSION_IDLE: "12s",
      PORTAL_SESSION_WARNING: "8s",
      PORTAL_IP_FAILURES_FREE: "2",
    });
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  test("an expired code is refused; after the cooldown a new one can be asked for", async ({ page, request }) => {
    const p = newPerson("phone");
    await fillRegistration(page, p, server.url);
    await expect(page).toHaveURL(/\/register\/confirm/);
    const code = await codeFor(request, p.phone!, server.url);
    await page.waitForTimeout(3500);
    await page.locator("#code").fill(code);
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page.locator("#code-error")).toContainText("Срок действия кода истёк");
    const resend = page.getByRole("button", { name: "Отправить код ещё раз", exact: true });
    await expect(resend).toBeEnabled();
    await resend.click();
    await expect.poll(() => codeFor(request, p.phone!, server.url)).not.toBe(code);
    await page.locator("#code").fill(await codeFor(request, p.phone!, server.url));
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page).toHaveURL(/\/profile/);
  });

  test("an idle session warns, «Продлить» keeps it, then it ends @js", async ({ page, request }) => {
    const p = newPerson("phone");
    await fillRegistration(page, p, server.url);
    await expect(page).toHaveURL(/\/register\/confirm/);
    await page.locator("#code").fill(await codeFor(request, p.phone!, server.url));
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page).toHaveURL(/\/profile/);
    const dialog = page.getByRole("dialog", { name: "Сеанс скоро завершится" });
    await expect(dialog).toBeVisible({ timeout: 10_000 });
    await dialog.getByRole("button", { name: "Продлить" }).click();
    await expect(dialog).toBeHidden();
    await expect(dialog).toBeVisible({ timeout: 10_000 });
    // Left alone: the session ends on the server and the page says so.
    await expect(page).toHaveURL(/\/login\?timeout=1/, { timeout: 15_000 });
    await expect(page.locator("#login-notice")).toContainText("Сеанс завершён из-за бездействия");
    await open(page, server.url + "/profile");
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test("an idle session is gone on the server too @nojs", async ({ page }) => {
    // This server has no demo accounts: register one through the pages.
    const p = newPerson("phone");
    await fillRegistration(page, p, server.url);
    await page.locator("#code").fill(await codeFor(page.request, p.phone!, server.url));
    await page.getByRole("button", { name: "Подтвердить" }).click();
    await expect(page).toHaveURL(/\/profile/);
    await page.waitForTimeout(13_000);
    await open(page, server.url + "/profile");
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test("many failures from one address are slowed down @js", async ({ page }) => {
    for (let i = 0; i < 3; i++) {
      await open(page, server.url + "/login");
      await page.locator("#login").fill(uniquePhone());
      await page.locator("#password").fill("Неверный-пароль-1!");
      await page.getByRole("button", { name: "Войти", exact: true }).click();
      await expect(page.locator("#form-error")).toBeVisible();
    }
    await page.locator("#password").fill("Неверный-пароль-1!");
    await page.getByRole("button", { name: "Войти", exact: true }).click();
    await expect(page.locator("#form-error")).toContainText("С вашего адреса слишком много неудачных попыток входа");
  });
});
