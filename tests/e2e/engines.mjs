// One small adapter over three browser engines, so the same test bodies run
// in each (tests/e2e/journey.test.mjs):
//
// - chromium: Debian's Chromium through playwright-core (the harness's launcher);
// - firefox:  Debian's firefox-esr through puppeteer-core over WebDriver BiDi;
// - webkit:   WebKitGTK's MiniBrowser through Debian's WebKitWebDriver (W3C
//             WebDriver, selenium-webdriver as the client), inside xvfb-run.
//
// No engine is downloaded by a test tool: every browser is a Debian package.
//
// A page adapter offers what a person does and what a test reads:
//   goto(url), click(target), fill(target, text), select(target, value),
//   press(target, key) (a key name both APIs know: "Enter", "Tab"),
//   evaluate(fn, arg) (or evaluate(source): a script such as axe-core, run
//   outside the page's CSP), waitFor(fn, arg, options), problems, close().
// A target is a CSS selector in the document, or { host, sel }: `sel` inside
// the open shadow root of the element `host` (a widget). Elements are found
// by the same in-page function in every engine, then acted on with the
// engine's own input (trusted clicks and key presses, not synthetic events).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { launchBrowser, openPage } from "./harness.mjs";

export const ENGINE_NAMES = ["chromium", "firefox", "webkit"];

/** The engines to run: IMRF_ENGINES (comma-separated), else all three. */
export function selectedEngines() {
  const wanted = (process.env.IMRF_ENGINES || ENGINE_NAMES.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of wanted) {
    if (!ENGINE_NAMES.includes(name)) throw new Error(`unknown engine ${name} (IMRF_ENGINES)`);
  }
  return wanted;
}

export const FIREFOX_PATH = process.env.FIREFOX_PATH || "/usr/bin/firefox-esr";
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || "/usr/bin/WebKitWebDriver";
export const MINIBROWSER_PATH =
  process.env.MINIBROWSER_PATH || "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** Finds a target's element in the page (runs in the page, in every engine). */
function findTarget(target) {
  if (typeof target === "string") return document.querySelector(target);
  const host = document.querySelector(target.host);
  return (host && host.shadowRoot && host.shadowRoot.querySelector(target.sel)) || null;
}

/** Reports CSP violations as console errors (installed before the page's own scripts). */
function reportCspViolations() {
  document.addEventListener("securitypolicyviolation", (e) => {
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
  });
}

const FIND_SOURCE = findTarget.toString();

/**
 * A page function `(target) => ...` whose body can call `find(target)`. It is
 * built here in node (the page's CSP forbids `new Function` in the page) and
 * sent as source, as every engine sends evaluated functions.
 */
function withFind(body) {
  // eslint-disable-next-line no-new-func
  return new Function("target", `const find = ${FIND_SOURCE};\n${body}`);
}

const describe = (target) => (typeof target === "string" ? target : `${target.host} >> ${target.sel}`);

/** Shared parts: waiting is polling `evaluate`, the same in every engine. */
class PageBase {
  constructor(engine) {
    this.engine = engine;
    this.problems = [];
  }

  /** Polls `fn(arg)` in the page until it returns a truthy value; returns it. */
  async waitFor(fn, arg = null, { timeout = 10000, message = "" } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await this.evaluate(fn, arg);
        if (last) return last;
      } catch (e) {
        // A navigation in progress destroys the context; try again.
        last = e.message;
      }
      if (Date.now() > deadline) {
        throw new Error(`[${this.engine}] timed out after ${timeout} ms: ${message || fn.toString()} (last: ${last})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for a target's element to be there. */
  waitForTarget(target, timeout = 10000) {
    return this.waitFor(withFind("return !!find(target);"), target, {
      timeout,
      message: `element ${describe(target)}`,
    });
  }

  /** Text of a target's element (textContent, trimmed), or null. */
  text(target) {
    return this.evaluate(withFind("const el = find(target); return el ? el.textContent.trim() : null;"), target);
  }

  /** Checks a checkbox or radio by clicking it, unless it is checked already. */
  async check(target) {
    await this.waitForTarget(target);
    if (!(await this.evaluate(withFind("return find(target).checked;"), target))) await this.click(target);
  }

  /** The harness's name for `select` (so `fillValidForm` takes an engine page). */
  selectOption(target, value) {
    return this.select(target, value);
  }

  /** The same page, with every target taken inside the shadow root of `host`. */
  within(host) {
    const scoped = (sel) => ({ host, sel });
    return {
      click: (sel) => this.click(scoped(sel)),
      fill: (sel, text) => this.fill(scoped(sel), text),
      select: (sel, value) => this.select(scoped(sel), value),
      selectOption: (sel, value) => this.select(scoped(sel), value),
      check: (sel) => this.check(scoped(sel)),
      text: (sel) => this.text(scoped(sel)),
      value: (sel) => this.value(scoped(sel)),
      waitForTarget: (sel, timeout) => this.waitForTarget(scoped(sel), timeout),
    };
  }

  /** The value of a form control. */
  value(target) {
    return this.evaluate(withFind("return find(target).value;"), target);
  }
}


// ---------------------------------------------------------------- Chromium

class ChromiumPage extends PageBase {
  constructor(opened) {
    super("chromium");
    this.context = opened.context;
    this.page = opened.page;
    this.problems = opened.problems;
  }
  locator(target) {
    return typeof target === "string"
      ? this.page.locator(target).first()
      : this.page.locator(target.host).locator(target.sel).first();
  }
  async goto(url) {
    await this.page.goto(url);
  }
  evaluate(fn, arg = null) {
    return this.page.evaluate(fn, arg);
  }
  async click(target) {
    await this.locator(target).click();
  }
  async fill(target, text) {
    await this.locator(target).fill(text);
  }
  async press(target, key) {
    await this.locator(target).press(key);
  }
  async select(target, value) {
    await this.locator(target).selectOption(value);
  }
  async close() {
    await this.context.close();
  }
}

async function launchChromium() {
  const browser = await launchBrowser();
  return {
    name: "chromium",
    version: browser.version(),
    readsConsole: true,
    async newPage({ viewport = { width: 1280, height: 900 }, locale = "en" } = {}) {
      return new ChromiumPage(await openPage(browser, { locale, viewport }));
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- Firefox

class FirefoxPage extends PageBase {
  constructor(context, page) {
    super("firefox");
    this.context = context;
    this.page = page;
    page.on("console", (msg) => {
      if (msg.type() === "error") this.problems.push(`console error: ${msg.text()}`);
    });
    page.on("pageerror", (err) => this.problems.push(`page error: ${err.message}`));
  }
  async element(target) {
    await this.waitForTarget(target);
    const handle = await this.page.evaluateHandle(findTarget, target);
    return handle.asElement();
  }
  async goto(url) {
    await this.page.goto(url, { waitUntil: "load" });
  }
  evaluate(fn, arg = null) {
    return this.page.evaluate(fn, arg);
  }
  async click(target) {
    await (await this.element(target)).click();
  }
  async fill(target, text) {
    const el = await this.element(target);
    // Select what is there, so typing replaces it, as a person would.
    await el.evaluate((e) => {
      e.focus();
      e.select?.();
    });
    await el.type(text);
  }
  async press(target, key) {
    await (await this.element(target)).press(key);
  }
  async select(target, value) {
    await (await this.element(target)).select(value);
  }
  async close() {
    await this.context.close();
  }
}

async function launchFirefox() {
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    // No telemetry or update checks; the harness never leaves 127.0.0.1.
    extraPrefsFirefox: { "app.update.enabled": false, "datareporting.policy.dataSubmissionEnabled": false },
  });
  return {
    name: "firefox",
    version: await browser.version(),
    readsConsole: true,
    async newPage({ viewport = { width: 1280, height: 900 } } = {}) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(viewport);
      await page.evaluateOnNewDocument(reportCspViolations);
      return new FirefoxPage(context, page);
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- WebKit

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

class WebKitPage extends PageBase {
  constructor(driver) {
    super("webkit");
    this.driver = driver;
  }
  async element(target) {
    await this.waitForTarget(target);
    return this.driver.executeScript(`return (${FIND_SOURCE})(arguments[0])`, target);
  }
  async goto(url) {
    await this.driver.get(url);
  }
  async evaluate(fn, arg = null) {
    if (typeof fn === "string") return this.driver.executeScript(fn);
    // The function may be async; errors come back as values (WebDriver would
    // otherwise report only "script error").
    const result = await this.driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       try {
         Promise.resolve((${fn.toString()})(arguments[0])).then(
           (value) => done({ ok: true, value: value === undefined ? null : value }),
           (e) => done({ ok: false, error: String(e && e.stack || e) }));
       } catch (e) { done({ ok: false, error: String(e && e.stack || e) }); }`,
      arg,
    );
    if (!result.ok) throw new Error(`[webkit] evaluate failed: ${result.error}`);
    return result.value;
  }
  async click(target) {
    await (await this.element(target)).click();
  }
  async fill(target, text) {
    const el = await this.element(target);
    await el.clear();
    await el.sendKeys(text);
  }
  async press(target, key) {
    const { Key } = await import("selenium-webdriver");
    await (await this.element(target)).sendKeys(Key[key.toUpperCase()]);
  }
  async select(target, value) {
    // WebDriver selects an option by clicking it (which fires input and change).
    const option = typeof target === "string"
      ? `${target} option[value="${value}"]`
      : { host: target.host, sel: `${target.sel} option[value="${value}"]` };
    await (await this.element(option)).click();
  }
  async close() {
    await this.driver.quit();
  }
}

async function launchWebKit() {
  // The client is pointed at a running driver; selenium-manager must never fetch one.
  process.env.SE_OFFLINE = "true";
  const { Builder } = await import("selenium-webdriver");
  const port = await freePort();
  // The driver starts MiniBrowser itself, so it must run inside the virtual display.
  const child = spawn(
    "xvfb-run",
    ["--auto-servernum", "--server-args=-screen 0 1600x1200x24", WEBKIT_DRIVER, `--port=${port}`, "--host=127.0.0.1"],
    { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, LANG: "C.UTF-8" } },
  );
  // Its own process group (detached), so stopping it stops Xvfb and MiniBrowser
  // too; stopped also when this process exits without closing the engine.
  const stopGroup = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.once("exit", stopGroup);
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`${url}/status`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const capabilities = {
    browserName: "MiniBrowser",
    "webkitgtk:browserOptions": { binary: MINIBROWSER_PATH, args: ["--automation"] },
  };
  let version = "";
  return {
    name: "webkit",
    get version() {
      return version;
    },
    // Classic WebDriver has no console events: this engine's problems stay empty.
    readsConsole: false,
    async newPage({ viewport = { width: 1280, height: 900 } } = {}) {
      // One session (one MiniBrowser, fresh storage) per page.
      const driver = await new Builder().usingServer(url).withCapabilities(capabilities).build();
      version ||= `MiniBrowser (WebKitGTK ${(await driver.getCapabilities()).get("browserVersion")})`;
      await driver.manage().window().setRect({ x: 0, y: 0, ...viewport });
      return new WebKitPage(driver);
    },
    async close() {
      // The whole process group: xvfb-run, Xvfb, the driver and its browser.
      const exited = new Promise((done) => (child.exitCode !== null ? done() : child.once("exit", done)));
      stopGroup();
      await exited;
      process.removeListener("exit", stopGroup);
    },
  };
}

const LAUNCHERS = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit };

/**
 * Starts an engine: { name, version, readsConsole, newPage(options),
 * closePages(), close() }. `closePages` closes the pages a test left open
 * (a failed test), so the next test gets a fresh one (WebKitWebDriver allows
 * one session at a time).
 */
export async function launchEngine(name) {
  if (!LAUNCHERS[name]) throw new Error(`unknown engine ${name}`);
  const engine = await LAUNCHERS[name]();
  const open = new Set();
  const newPage = engine.newPage.bind(engine);
  engine.newPage = async (options) => {
    const page = await newPage(options);
    const close = page.close.bind(page);
    page.close = async () => {
      open.delete(page);
      await close();
    };
    open.add(page);
    return page;
  };
  engine.closePages = async () => {
    for (const page of [...open]) await page.close().catch(() => {});
  };
  const closeEngine = engine.close;
  engine.close = async () => {
    await engine.closePages();
    await closeEngine();
  };
  return engine;
}
