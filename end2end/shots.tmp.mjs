import { chromium } from "@playwright/test";
import { createHmac } from "node:crypto";
const base = "http://127.0.0.1:3411";
const FIX = "/work/wt-documents/app/tests/fixtures/";
function b32(s){const a="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";let bits="";for(const c of s){bits+=a.indexOf(c).toString(2).padStart(5,"0")}const out=[];for(let i=0;i+8<=bits.length;i+=8)out.push(parseInt(bits.slice(i,i+8),2));return Buffer.from(out)}
function totp(k,t=Date.now()/1000){const c=Buffer.alloc(8);c.writeBigUInt64BE(BigInt(Math.floor(t/30)));const m=createHmac("sha1",b32(k)).update(c).digest();const o=m[m.length-1]&15;return String((m.readUInt32BE(o)&0x7fffffff)%1e6).padStart(6,"0")}
const args=["--no-sandbox","--disable-gpu","--disable-dev-shm-usage"];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args });
async function ctx(w){const c=await browser.newContext({viewport:{width:w,height:900},locale:"ru-RU"});return c}
async function signIn(p, login, pw){await p.goto(base+"/login");await p.locator("body[data-hydrated]").waitFor();await p.fill("#login",login);await p.fill("#password",pw);await p.getByRole("button",{name:"Войти",exact:true}).click();await p.waitForLoadState("networkidle");}
const c1 = await ctx(1280); const p = await c1.newPage();
await signIn(p,"+79160000001","Gosportal-Demo-2026!");
await p.goto(base+"/documents"); await p.locator("body[data-hydrated]").waitFor();
await p.locator("#upload-kind").selectOption("passport");
await p.setInputFiles("#upload-file", FIX+"passport.jpg");
await p.locator("#upload-file").locator("xpath=ancestor::form").locator("button[type=submit]").click();
await p.locator("#my-documents").waitFor();
await p.locator("#upload-kind").selectOption("snils");
await p.setInputFiles("#upload-file", FIX+"png-renamed.pdf");
await p.locator("#upload-file").locator("xpath=ancestor::form").locator("button[type=submit]").click();
await p.locator("#upload-file-error").waitFor({state:"visible"});
await p.screenshot({path:"/tmp/docs-1280.png", fullPage:true});
await p.setViewportSize({width:360,height:800});
await p.screenshot({path:"/tmp/docs-360.png", fullPage:true});
await p.goto(base+"/documents/change"); await p.locator("body[data-hydrated]").waitFor();
await p.screenshot({path:"/tmp/change-360.png", fullPage:true});
await p.setViewportSize({width:1280,height:900});
await p.screenshot({path:"/tmp/change-1280.png", fullPage:true});
// official
const c2 = await ctx(1280); const o = await c2.newPage();
await signIn(o,"+79160000102","Official-Demo-2026!");
await o.fill("#code", totp("MZXW6YTBOI3DEMRQGI3DAMBQGAYDAMBQ")); await o.getByRole("button",{name:"Подтвердить"}).click(); await o.waitForURL(/\/staff/);
await o.goto(base+"/staff/official/documents"); await o.locator("body[data-hydrated]").waitFor();
await o.screenshot({path:"/tmp/queue-1280.png", fullPage:true});
await o.setViewportSize({width:360,height:800});
await o.screenshot({path:"/tmp/queue-360.png", fullPage:true});
await o.locator("#document-queue a").first().click(); await o.waitForLoadState("networkidle");
await o.screenshot({path:"/tmp/review-360.png", fullPage:true});
await o.setViewportSize({width:1280,height:900});
await o.screenshot({path:"/tmp/review-1280.png", fullPage:true});
await o.getByLabel("Изображение размытое или нечёткое").check();
await o.getByRole("button",{name:"Отклонить"}).click(); await o.waitForURL(/rejected=/);
await p.goto(base+"/documents"); await p.locator("body[data-hydrated]").waitFor();
await p.getByText("Загрузить заново").click();
await p.setViewportSize({width:360,height:800});
await p.screenshot({path:"/tmp/docs-rejected-360.png", fullPage:true});
await browser.close();
