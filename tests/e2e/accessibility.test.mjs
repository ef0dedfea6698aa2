// The accessibility audit's findings (issue 15), each as a check in the real
// app in headless Chromium: the "Other stakeholders" field's own name and
// focus target, focus after "Send another input", a retry wait announced
// once and Retry-After honoured on a 503, a keyboard-only submission in each
// language (stored once), required fields exposed, the skip link, and focus
// and borders under forced colours.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  endpointAndBrowser, openPage, liveApp, readRows, fillValidForm,
  assertNoAxeViolations, assertNoProblems, MIN_FILL_MS,
} from "./harness.mjs";

const suite = endpointAndBrowser();
// Requests the tests break on purpose log "Failed to load resource"; nothing else may.
const unexpected = (problems) => problems.filter((p) => !/Failed to load resource/.test(p));

async function freshPage(lang = "en") {
  const opened = await openPage(suite.browser, { locale: lang });
  await opened.page.goto(`${suite.endpoint.url}/?lang=${lang}`);
  await liveApp(opened.page);
  return opened;
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

test("'Other stakeholders': the text field has its own name and the summary link focuses it", async () => {
  const { context, page, problems } = await freshPage("en");
  await fillValidForm(page, { group: "other" });
  const field = page.getByRole("textbox", { name: "Name of your stakeholder group", exact: true });
  assert.equal(await field.count(), 1, "the text field is named by its label");
  assert.equal(await field.getAttribute("id"), "imrf-stakeholder-group-other");
  assert.equal(await page.locator('[id="imrf-stakeholder-group-other"]').count(), 1, "ids are unique");
  const radio = page.locator('input[name="stakeholder_group"][value="other"]');
  const radioLabel = (await radio.evaluate((r) => r.labels[0].textContent)).trim();
  assert.equal(
    await page.getByRole("radio", { name: radioLabel, exact: true }).count(), 1,
    "the radio's name is its own label only",
  );
  await assertNoAxeViolations(page, "'Other stakeholders' chosen");

  // Left empty: the error summary's link goes to the text field, not the radio.
  await page.click("form button[type=submit]");
  const link = page.locator('.imrf-error-summary a[href="#imrf-stakeholder-group-other"]');
  await link.waitFor();
  await link.press("Enter");
  assert.equal(await activeId(page), "imrf-stakeholder-group-other");
  assert.equal(await page.evaluate(() => document.activeElement.type), "text");
  await assertNoAxeViolations(page, "'Other stakeholders' with its error");
  assertNoProblems(problems, "other stakeholders");
  await context.close();
});

test("'Send another input' puts focus on the new form's first field", async () => {
  const { context, page, problems } = await freshPage("ar");
  await fillValidForm(page, { title: `another ${Date.now()}` });
  await page.waitForTimeout(MIN_FILL_MS);
  await page.click("form button[type=submit]");
  const another = page.locator(".imrf-receipt button.imrf-button:not(.imrf-button-secondary)");
  await another.waitFor({ timeout: 20000 });
  await another.press("Enter");
  await page.waitForSelector("#imrf-name");
  await page.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 2000 }).catch(() => {});
  assert.equal(await activeId(page), "imrf-name", "focus is not dropped to <body>");
  assert.equal(await page.inputValue("#imrf-name"), "", "an empty form");
  await assertNoAxeViolations(page, "after 'Send another input'");
  assertNoProblems(problems, "send another");
  await context.close();
});

test("a 503 with Retry-After is not retried sooner, and each wait is announced once", async () => {
  const { context, page, problems } = await freshPage("en");
  const times = [];
  await page.route("**/api/submissions", (route) => {
    times.push(Date.now());
    if (times.length <= 2) {
      return route.fulfill({ status: 503, headers: { "Retry-After": "3" }, contentType: "application/json", body: "{}" });
    }
    return route.continue();
  });
  // Record what the polite live region says, and what the status shows.
  await page.evaluate(() => {
    const status = document.querySelector(".imrf-status");
    const live = status.matches("[role=status]") ? status : status.querySelector("[role=status]");
    window.__said = [];
    window.__shown = [];
    new MutationObserver(() => {
      const said = live.textContent.trim();
      if (said && window.__said.at(-1) !== said) window.__said.push(said);
      window.__shown.push(status.innerText.trim());
    }).observe(status, { childList: true, subtree: true, characterData: true });
  });
  const title = `retry-after ${Date.now()}`;
  await fillValidForm(page, { title });
  await page.waitForTimeout(MIN_FILL_MS);
  await page.click("form button[type=submit]");
  await page.locator(".imrf-reference-number").waitFor({ timeout: 30000 });
  const said = await page.evaluate(() => window.__said);
  const waits = said.filter((s) => /Trying again/.test(s));
  assert.deepEqual(waits, [
    "The connection failed. Trying again in 3 seconds…",
    "The connection failed. Trying again in 3 seconds…",
  ], `each wait announced once: ${JSON.stringify(said)}`);
  const shown = await page.evaluate(() => window.__shown.join("\n"));
  assert.match(shown, /Trying again in 2 seconds/, "the visible countdown still counts down");
  assert.equal(times.length, 3);
  for (let i = 1; i < times.length; i++) {
    assert.ok(times[i] - times[i - 1] >= 2900, `attempt ${i + 1} came ${times[i] - times[i - 1]} ms after a 503 with Retry-After: 3`);
  }
  assert.equal(readRows(suite.endpoint.dbPath, `title = '${title}'`).length, 1);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test("an endpoint that gives up: the failed state's buttons are outside the live region", async () => {
  const { context, page, problems } = await freshPage("en");
  await page.route("**/api/submissions", (route) => route.fulfill({ status: 404, body: "not here" }));
  await fillValidForm(page);
  await page.click("form button[type=submit]");
  await page.locator(".imrf-send-failed").waitFor({ timeout: 20000 });
  const live = page.locator(".imrf-status [role=status], .imrf-status[role=status]");
  assert.match(await live.innerText(), /could not be sent/);
  assert.equal(await live.locator("button, a").count(), 0, "no controls inside the live region");
  assert.equal(await page.locator(".imrf-send-failed button").count(), 1);
  await assertNoAxeViolations(page, "send failed");
  assertNoProblems(unexpected(problems), "failed state");
  await context.close();
});

// Only the keys a keyboard user has: Tab, Space, Enter, arrows, and typing.
const KEYBOARD_VALUES = {
  en: { "imrf-name": "Keyboard User", "imrf-email": "keys@example.org", "imrf-input": "Sent with the keyboard alone." },
  ar: { "imrf-name": "مستخدمة لوحة المفاتيح", "imrf-email": "keys@example.org", "imrf-input": "أُرسلت بلوحة المفاتيح وحدها." },
};

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { id: el.id, tag: el.tagName, type: el.type || "", checked: !!el.checked, cls: el.className || "" };
  });
}

for (const lang of ["ar", "en"]) {
  test(`keyboard only (${lang}): skip link, every field, send, stored once`, async () => {
    const { context, page, problems } = await freshPage(lang);
    const title = `keyboard ${lang} ${Date.now()}`;
    const values = { ...KEYBOARD_VALUES[lang], "imrf-title": title };

    // The first Tab reaches the skip link; Enter moves the start of the tab order to the form.
    await page.keyboard.press("Tab");
    let el = await focused(page);
    assert.match(el.cls, /imrf-skip-link/, "the skip link comes first");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    assert.equal((await focused(page)).id, "imrf-name", "after the skip link, the next Tab is the first field");

    let groupChosen = false;
    for (let presses = 0; presses < 40; presses++) {
      el = await focused(page);
      if (el.tag === "BUTTON" && el.type === "submit") break;
      if (values[el.id] !== undefined) {
        await page.keyboard.type(values[el.id]);
      } else if (el.tag === "SELECT") {
        await page.keyboard.press("ArrowDown"); // the first country of the list
      } else if (el.type === "radio" && !groupChosen) {
        await page.keyboard.press("ArrowDown"); // arrows move and choose within the group
        await page.keyboard.press("ArrowUp");
        if (!(await focused(page)).checked) await page.keyboard.press("Space");
        groupChosen = true;
      } else if (el.type === "checkbox") {
        await page.keyboard.press("Space");
      }
      await page.keyboard.press("Tab");
    }
    el = await focused(page);
    assert.equal(el.type, "submit", "Tab reaches the send button");
    await page.waitForTimeout(MIN_FILL_MS);
    await page.keyboard.press("Enter");
    await page.locator(".imrf-reference-number").waitFor({ timeout: 20000 });
    assert.equal(await activeId(page), "imrf-receipt", "focus moves to the receipt");

    const rows = readRows(suite.endpoint.dbPath, `title = '${title}'`);
    assert.equal(rows.length, 1, "stored once");
    assert.equal(rows[0].name, values["imrf-name"]);
    assert.equal(rows[0].language, lang);
    assert.ok(rows[0].country, "a country was chosen with the arrow keys");
    assert.ok(rows[0].stakeholder_group, "a group was chosen with the arrow keys");
    assert.ok(!rows[0].flagged, `not taken for a bot: ${rows[0].flagged}`);
    assertNoProblems(problems, `keyboard ${lang}`);
    await context.close();
  });
}

test("required fields are exposed as required, optional ones are not", async () => {
  const { context, page } = await freshPage("en");
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll(".imrf-form input:not([type=hidden]):not(#imrf-website), .imrf-form select, .imrf-form textarea")]
      .filter((c) => c.type !== "radio" || c === document.querySelector(`input[name="${c.name}"]`))
      .map((c) => ({
        id: c.id,
        optional: /\(optional\)/.test([...c.labels].map((l) => l.textContent).join(" ")),
        required: c.getAttribute("aria-required") === "true" || c.required,
      })),
  );
  assert.ok(controls.length >= 8, JSON.stringify(controls));
  for (const c of controls) assert.equal(c.required, !c.optional, `${c.id}: ${JSON.stringify(c)}`);
  // What the browser gives assistive technology, not only the attribute.
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const named = (name) => nodes.find((n) => n.role?.value === "textbox" && n.name?.value === name && !n.ignored);
  const required = (n) => n?.properties?.find((p) => p.name === "required")?.value.value === true;
  assert.ok(required(named("Full name")), "Full name is required in the accessibility tree");
  assert.ok(!required(named("Link to a published document (optional)")), "the link is optional");
  await context.close();
});

test("forced colours: input borders stay visible and the focused field has an outline", async () => {
  const { context, page, problems } = await freshPage("en");
  await page.emulateMedia({ forcedColors: "active" });
  assert.ok(await page.evaluate(() => matchMedia("(forced-colors: active)").matches));
  const borders = await page.evaluate(() =>
    [...document.querySelectorAll(".imrf-input, .imrf-select, .imrf-textarea")].map((el) => {
      const s = getComputedStyle(el);
      return { id: el.id, style: s.borderTopStyle, width: parseFloat(s.borderTopWidth), color: s.borderTopColor };
    }),
  );
  assert.ok(borders.length >= 6);
  for (const b of borders) {
    assert.notEqual(b.style, "none", b.id);
    assert.ok(b.width >= 1, `${b.id} border ${b.width}px`);
    assert.notEqual(b.color, "rgba(0, 0, 0, 0)", `${b.id} border is transparent`);
  }
  const name = page.locator("#imrf-name");
  await name.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab"); // focus by keyboard, so :focus-visible applies too
  assert.equal(await activeId(page), "imrf-name");
  const outline = await name.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.notEqual(outline.style, "none", "a focus outline under forced colours");
  assert.ok(outline.width >= 2, `outline ${outline.width}px`);
  const after = await page.screenshot({ clip: await name.boundingBox().then((b) => ({ x: b.x - 6, y: b.y - 6, width: b.width + 12, height: b.height + 12 })) });
  const unfocused = await (async () => {
    await page.keyboard.press("Tab");
    return page.screenshot({ clip: await name.boundingBox().then((b) => ({ x: b.x - 6, y: b.y - 6, width: b.width + 12, height: b.height + 12 })) });
  })();
  assert.notDeepEqual(after, unfocused, "focus changes what is drawn around the field");
  assertNoProblems(problems, "forced colours");
  await context.close();
});
