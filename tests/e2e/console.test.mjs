// The secretariat's console in real Chromium against the real endpoint and
// the built site: a reviewer invited from the command line enrols a passkey
// with Chromium's virtual authenticator (the DevTools protocol's WebAuthn
// domain), signs out and in again with it, reads an Arabic input on the
// English console (right to left), publishes one and finds it on
// /en/inputs/, redacts it and finds the copy there, marked, declines one
// with a reason, undoes it, and signs out;
// axe-core finds nothing on every console page, no CSP violation, and
// without JavaScript the sign-in page says a passkey needs it.
//
// The console is opened at http://localhost:PORT (the endpoint listens on
// 127.0.0.1): browsers refuse WebAuthn on an IP address, and treat
// localhost as a secure origin, where the __Host- cookie is kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  ENDPOINT_BIN,
  endpointAndBrowser,
  openPage,
  assertNoAxeViolations,
  assertNoProblems,
} from "./harness.mjs";

const suite = endpointAndBrowser();

const port = () => new URL(suite.endpoint.url).port;
const at = (path) => `http://localhost:${port()}${path}`;

function cli(args) {
  return execFileSync(ENDPOINT_BIN, [...args, "--database-url", `sqlite://${suite.endpoint.dbPath}`], {
    encoding: "utf8",
    env: { ...process.env, RUST_LOG: "warn" },
  });
}

async function send(values) {
  const key = crypto.randomUUID();
  const body = { idempotency_key: key, stakeholder_group: "trade_unions", consent: true, fill_ms: 5000, ...values };
  const resp = await fetch(`${suite.endpoint.url}/api/submissions`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });
  assert.equal(resp.status, 201);
  return (await resp.json()).reference;
}

async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return { cdp, authenticator: authenticatorId };
}

const stateText = (page) => page.textContent(".imrf-console-state");

test("a reviewer enrols, signs in with the passkey, reads, decides and signs out", async () => {
  const arabic = await send({ language: "ar", name: "سارة", email: "sara@example.org", country: "JO", title: "حماية العمال المهاجرين", input: "نص المدخلات بالعربية عن العمل اللائق والأُجور." });
  const english = await send({ language: "en", name: "Amal Haddad", email: "amal@example.org", country: "LB", title: "Decent work for all", input: "Labour migration needs fair recruitment." });
  const out = cli(["staff", "invite", "--email", "reviewer@example.org", "--role", "reviewer", "--listen", `127.0.0.1:${port()}`]);
  const link = out.split("\n").find((l) => l.startsWith(at("/secretariat/enrol/")));
  assert.ok(link, out);

  const { context, page, problems } = await openPage(suite.browser, { locale: "en" });
  const { cdp, authenticator } = await virtualAuthenticator(page);
  await page.goto(link);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.isVisible("#imrf-console-needs-script"), false, "with JavaScript the notice is hidden");
  await assertNoAxeViolations(page, "the enrolment page");
  await page.click("#imrf-console-enrol button");
  await page.waitForURL(at("/secretariat/en/"));
  const cookie = (await context.cookies()).find((c) => c.name === "__Host-imrf-console");
  assert.ok(cookie, "Chromium kept the __Host- cookie on http://localhost");
  assert.equal(cookie.secure, true);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Strict");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId: authenticator });
  assert.equal(credentials.length, 1, "one passkey made on the device");
  assert.match(await page.textContent("main"), /Decent work for all/);
  await assertNoAxeViolations(page, "the list");

  // Sign out, then in again with the same passkey.
  await page.click('form[action="/secretariat/sign-out"] button');
  await page.waitForURL(at("/secretariat/en/signed-out"));
  await assertNoAxeViolations(page, "the signed-out page");
  await page.goto(at("/secretariat/en/"));
  assert.equal(await page.isVisible("#imrf-console-sign-in"), true);
  assert.doesNotMatch(await page.textContent("body"), /Decent work|IMRF-/);
  await assertNoAxeViolations(page, "the sign-in page");
  await page.fill("#imrf-console-email", "reviewer@example.org");
  await page.click("#imrf-console-sign-in button");
  await page.waitForSelector(".imrf-console-viewer");

  // Search from the list's form: in Arabic without the hamza on the alef or
  // the damma the input has, then in English in capitals.
  await page.fill("#imrf-console-search", "والاجور");
  await page.click(".imrf-console-filters button");
  await page.waitForURL(/q=/);
  assert.match(await page.textContent("main"), /حماية العمال المهاجرين/);
  assert.doesNotMatch(await page.textContent("main"), /Decent work for all/);
  await page.fill("#imrf-console-search", "RECRUITMENT");
  await page.click(".imrf-console-filters button");
  await page.waitForURL(/q=RECRUITMENT/);
  assert.match(await page.textContent("main"), /Decent work for all/);
  await page.goto(at("/secretariat/en/"));

  // An Arabic input on the English console: right to left.
  await page.click(`a[href="/secretariat/en/inputs/${arabic}"]`);
  await page.waitForURL(at(`/secretariat/en/inputs/${arabic}`));
  assert.equal(await page.$eval("html", (h) => getComputedStyle(h).direction), "ltr");
  assert.equal(await page.$eval("h1", (h) => getComputedStyle(h).direction), "rtl");
  assert.equal(await page.$eval(".imrf-console-text", (t) => getComputedStyle(t).direction), "rtl");
  await assertNoAxeViolations(page, "an Arabic input's page");

  // Publish it: the public record shows it.
  await page.click('form:has(input[value="publish"]) button');
  await page.waitForURL(at(`/secretariat/en/inputs/${arabic}`));
  assert.match(await stateText(page), /Published/);
  const record = await (await fetch(`${suite.endpoint.url}/en/inputs/`)).text();
  assert.match(record, /حماية العمال المهاجرين/);

  // Redact it: the public sees only the copy, marked; staff still read the original.
  await page.fill("#imrf-console-redact-input", "نص منقّح عن العمل اللائق.");
  await page.click('form:has(input[value="save"]) button');
  await page.waitForURL(at(`/secretariat/en/inputs/${arabic}`));
  assert.match(await page.textContent(".imrf-console-text"), /الأُجور/);
  assert.match(await page.textContent(".imrf-console-history"), /Redacted copy saved \(Your input\)/);
  await assertNoAxeViolations(page, "a redacted input's page");
  const permalink = await (await fetch(`${suite.endpoint.url}/en/inputs/${arabic}`)).text();
  assert.match(permalink, /نص منقّح عن العمل اللائق\./);
  assert.match(permalink, /Edited by the secretariat/);
  assert.doesNotMatch(permalink, /الأُجور/);

  // Decline the English one with a reason and a note, then undo.
  await page.goto(at(`/secretariat/en/inputs/${english}`));
  await page.selectOption("#imrf-console-reason", "off_topic");
  await page.fill("#imrf-console-note", "Not about the Forum");
  await page.click('form:has(input[value="decline"]) button');
  await page.waitForURL(at(`/secretariat/en/inputs/${english}`));
  assert.match(await stateText(page), /Not published: Off topic/);
  assert.match(await page.textContent(".imrf-console-history"), /Not about the Forum/);
  await assertNoAxeViolations(page, "a declined input's page");
  await page.click('form:has(input[value="undo"]) button');
  await page.waitForURL(at(`/secretariat/en/inputs/${english}`));
  assert.match(await stateText(page), /New/);

  // The Arabic console, then sign out everywhere.
  await page.goto(at("/secretariat/ar/"));
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  await assertNoAxeViolations(page, "the Arabic list");
  await page.click('form[action="/secretariat/sign-out-everywhere"] button');
  await page.waitForURL(at("/secretariat/ar/signed-out"));
  await page.goto(at("/secretariat/en/"));
  assert.equal(await page.isVisible("#imrf-console-sign-in"), true);
  assertNoProblems(problems, "the console");
  await context.close();
});

test("without JavaScript the sign-in page says, in its language, that a passkey needs it", async () => {
  for (const [locale, words] of [["ar", "يحتاج تسجيل الدخول بمفتاح مرور إلى جافاسكريبت"], ["en", "Signing in with a passkey needs JavaScript"]]) {
    const context = await suite.browser.newContext({ javaScriptEnabled: false, locale });
    const page = await context.newPage();
    await page.goto(at("/secretariat/"));
    assert.equal(page.url(), at(`/secretariat/${locale}/`));
    assert.equal(await page.isVisible("#imrf-console-needs-script"), true);
    assert.match(await page.textContent("#imrf-console-needs-script"), new RegExp(words));
    await context.close();
  }
});
