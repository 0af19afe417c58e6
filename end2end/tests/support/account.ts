// Helpers for the account flows: unique contacts, codes from the dev
// outbox, registration and sign-in as a person would do them.
import { APIRequestContext, Page, expect, test } from "@playwright/test";

/** Opens a page; with JavaScript on, waits until the wasm app took it over
 * (a person's first click comes after the page is drawn). */
export async function open(page: Page, url: string) {
  await page.goto(url);
  if (test.info().project.name === "hydrated") {
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
  }
}

export const STRONG_PASSWORD = "Синий-Кит-Плывёт-2026!";

/** A mobile number nobody else in this run has: +7 9XX XXX-XX-XX. */
export function uniquePhone(): string {
  const n = String(Math.floor(Math.random() * 1e9)).padStart(9, "0");
  return `+7 9${n.slice(0, 2)} ${n.slice(2, 5)}-${n.slice(5, 7)}-${n.slice(7, 9)}`;
}

export function uniqueEmail(): string {
  return `user${Date.now()}${Math.floor(Math.random() * 1e6)}@example.ru`;
}

/** +79161234567 from any spelling. */
export function normalPhone(p: string): string {
  const d = p.replace(/\D/g, "");
  return "+7" + d.slice(-10);
}

interface OutboxItem {
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
}

export async function outbox(request: APIRequestContext, base = ""): Promise<OutboxItem[]> {
  const res = await request.post(`${base}/api/dev_outbox`, { headers: { Accept: "application/json" } });
  expect(res.ok()).toBeTruthy();
  return res.json();
}

/** The newest code sent to `recipient` (a phone in any spelling or an e-mail). */
export async function codeFor(request: APIRequestContext, recipient: string, base = ""): Promise<string> {
  const to = recipient.includes("@") ? recipient.toLowerCase() : normalPhone(recipient);
  let found: string | undefined;
  await expect
    .poll(async () => {
      const all = await outbox(request, base);
      // Security notices carry a «Это был не я» token, which may hold six digits in a row.
      const item = all.find((m) => m.recipient === to && !m.body.includes("/not-me?t=") && /\d{6}/.test(m.body));
      found = item?.body.match(/(\d{6})/)?.[1];
      return found;
    })
    .toBeTruthy();
  return found!;
}

export interface Person {
  surname: string;
  name: string;
  patronymic: string;
  birth: string;
  phone?: string;
  email?: string;
  password: string;
}

export function newPerson(contact: "phone" | "email" = "phone"): Person {
  return {
    surname: "Смирнова",
    name: "Анна",
    patronymic: "Петровна",
    birth: "12.03.1990",
    phone: contact === "phone" ? uniquePhone() : undefined,
    email: contact === "email" ? uniqueEmail() : undefined,
    password: STRONG_PASSWORD,
  };
}

/** Fills and sends the registration form. */
export async function fillRegistration(page: Page, p: Person, base = "") {
  await open(page, `${base}/register`);
  await page.locator("#surname").fill(p.surname);
  await page.locator("#name").fill(p.name);
  await page.locator("#patronymic").fill(p.patronymic);
  await page.locator("#birth_date").fill(p.birth);
  if (p.phone) await page.locator("#phone").fill(p.phone);
  if (p.email) await page.locator("#email").fill(p.email);
  await page.locator("#password").fill(p.password);
  await page.locator("#password2").fill(p.password);
  await page.getByLabel(/Я принимаю/).check();
  await page.getByRole("button", { name: "Зарегистрироваться" }).click();
}

/** Registers `p` all the way (form, code) and ends on «Личные данные». */
export async function register(page: Page, request: APIRequestContext, p: Person) {
  await fillRegistration(page, p);
  await expect(page).toHaveURL(/\/register\/confirm\?flow=/);
  const code = await codeFor(request, (p.phone ?? p.email)!);
  await page.locator("#code").fill(code);
  await page.getByRole("button", { name: "Подтвердить" }).click();
  await expect(page).toHaveURL(/\/profile/);
  await expect(page.getByRole("heading", { name: "Личные данные" })).toBeVisible();
}

export async function signIn(page: Page, login: string, password: string) {
  await open(page, "/login");
  await page.locator("#login").fill(login);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Войти", exact: true }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Выйти" }).first().click();
  await expect(page).toHaveURL(/\/login\?signed_out=1/);
}
