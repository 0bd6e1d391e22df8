// Helpers of the browser scenarios. BrowserCase.browser_run (tests/common.py)
// runs `node tests/browser/<scenario>.js` against the test session's HTTP
// server; a scenario file is
//
//   const { scenario } = require('./lib');
//   scenario(async (t) => { ...; return { some: 'result' }; });
//
// and what it returns goes back to the Python test, which checks the
// database. Debian's Chromium, driven by playwright-core (.local/node).
// Select by what does not depend on the language: field names
// (`.o_field_widget[name=...]`), button names, radio values, data.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE = process.env.ODOO_URL || 'http://127.0.0.1:8069';
const PARAMS = JSON.parse(process.env.SCENARIO_PARAMS || '{}');
const TIMEOUT = 1000 * Number(process.env.SCENARIO_TIMEOUT || 150);
const SCREENSHOTS = ['1', 'true', 'yes'].includes(process.env.SCREENSHOTS);
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || 'docs';
const FAILURE_SCREENSHOT = process.env.FAILURE_SCREENSHOT ||
  '.local/browser-failure.png';
// a desktop by default; scenario params `viewport: {width, height}` below
// 768 px is a phone (Bootstrap 3's xs): touch, and the page's meta viewport
const DESKTOP = { width: 1400, height: 860 };
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

class Scenario {
  constructor(browser) {
    this.browser = browser;
    this.params = PARAMS;
    this.base = BASE;
    this.pages = [];
    this.viewport = PARAMS.viewport || DESKTOP;
    this.phone = this.viewport.width < 768;
    // the pages whose width fits() checked
    this.checked = [];
  }

  log(...args) {
    console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
  }

  // ------------------------------------------------------------- sessions
  // A new browser context (own cookies) logged in as `login` (the demo
  // passwords are the logins): the page Odoo redirects to, `redirect` (a
  // path) when given (an internal user then skips the web client's load).
  async login(login, password, redirect) {
    const context = await this.browser.newContext({
      viewport: this.viewport,
      isMobile: this.phone,
      hasTouch: this.phone,
      // Odoo 11's web client shows datetimes in the browser's time zone
      timezoneId: 'Europe/Paris',
      locale: 'fr-FR',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(30000);
    context.setDefaultNavigationTimeout(60000);
    const page = await context.newPage();
    this.current = page;
    page.on('pageerror', (error) => this.log(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) {
        this.log(`HTTP ${response.status()} ${response.url()}`);
      }
    });
    page.on('requestfailed', (request) => this.log(
      `request failed: ${request.url()} ${request.failure().errorText}`));
    // alerts: the assets' compilation errors (no lessc...)
    page.on('dialog', (dialog) => {
      this.log(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    this.pages.push(page);
    await page.goto(`${BASE}/web/login${
      redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', password || login);
    // the answer: the login form again with an error, or (Odoo 11's
    // redirect_with_hash) a page whose script goes to the user's home
    await Promise.all([
      page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()),
      page.click('form button[type=submit]'),
    ]);
    let refused = [];
    try {
      await page.waitForLoadState('domcontentloaded');
      refused = await page.locator('form .alert-danger').allInnerTexts();
    } catch (error) {
      // the script has already left the page
    }
    if (refused.length) {
      throw new Error(`login ${login} refused: ${refused.join(' ')}`);
    }
    await page.waitForURL((url) => !url.pathname.startsWith('/web/login'));
    this.log(`logged in as ${login}: ${page.url()}`);
    return page;
  }

  // Logged in as `login` in the back office (first load: the assets are
  // compiled, about 10 s).
  async backOffice(login, password) {
    const page = await this.login(login, password);
    await page.waitForSelector('#oe_main_menu_navbar', { timeout: 90000 });
    // the action manager (.o_content) has shown the home action
    await page.waitForFunction(() => {
      const actions = document.querySelector('.o_main_content > .o_content');
      return actions && actions.children.length;
    });
    if (await page.evaluate(() => window.__assetsBundleErrorSeen)) {
      throw new Error('the web assets failed to compile (lessc 3 on PATH?)');
    }
    await this.idle(page);
    return page;
  }

  // ------------------------------------------------------------- server
  // JSON-RPC as the page's user.
  async rpc(page, model, method, args, kwargs) {
    const response = await page.context().request.post(
      `${BASE}/web/dataset/call_kw/${model}/${method}`, {
        data: { jsonrpc: '2.0', method: 'call', params: {
          model, method, args: args || [], kwargs: kwargs || {} } },
      });
    const body = await response.json();
    if (body.error) {
      throw new Error(`${model}.${method}: ${JSON.stringify(body.error.data || body.error)}`);
    }
    return body.result;
  }

  // The database id of an XML id.
  async ref(page, xmlid) {
    return this.rpc(page, 'ir.model.data', 'xmlid_to_res_id', [xmlid, true]);
  }

  // Open `urlPath` (/my, /web/login...) and wait until it has loaded.
  async goto(page, urlPath) {
    this.current = page;
    await page.goto(`${BASE}${urlPath}`);
  }

  // Fail when the page scrolls sideways (wider than the viewport, as a
  // portal page on a phone must never be), naming what sticks out.
  async fits(page) {
    const { width } = page.viewportSize();
    const wide = await page.evaluate((width) => {
      const root = document.documentElement;
      const limit = Math.min(width, root.clientWidth);
      if (root.scrollWidth <= limit) return null;
      // the outermost elements sticking out of a parent that fits
      const out = (el) => el.getBoundingClientRect().right > limit + 1;
      const culprits = Array.from(document.body.querySelectorAll('*'))
        .filter((el) => out(el) && !out(el.parentElement))
        .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}${
          typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`);
      return { scrollWidth: root.scrollWidth, culprits };
    }, width);
    if (wide) {
      throw new Error(`${page.url()} scrolls sideways at ${width} px (${
        wide.scrollWidth} px wide): ${wide.culprits.join(', ')}`);
    }
    const url = new URL(page.url());
    this.checked.push(`${width} ${url.pathname}${url.search}`);
  }

  // Run `body()` with `page` at a desktop's size (a phone scenario's
  // desktop screenshots and checks), then back to the scenario's size.
  async atDesktop(page, body) {
    await page.setViewportSize(DESKTOP);
    try {
      return await body();
    } finally {
      await page.setViewportSize(this.viewport);
    }
  }

  // Accept the page's dialogs from now on (the window.confirm of a
  // portal button) instead of dismissing them.
  acceptDialogs(page) {
    page.removeAllListeners('dialog');
    page.on('dialog', (dialog) => {
      this.log(`${dialog.type()} accepted: ${dialog.message()}`);
      dialog.accept().catch(() => {});
    });
  }

  // Click `locator` and return the file it downloads: { name, text }.
  async download(page, locator) {
    const [download] = await Promise.all([
      page.waitForEvent('download'), locator.click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(),
      text: fs.readFileSync(file, 'utf8') };
  }

  // ------------------------------------------------------------- web client
  // Wait until the web client has no RPC running (nor a blocked UI), and
  // fail on an error or warning dialog (its message in the error).
  async idle(page) {
    this.current = page;
    await page.waitForTimeout(100);
    await page.waitForFunction(
      () => !document.querySelector('.oe_wait, .blockUI'), null,
      { timeout: 60000 });
    const errors = page.locator('.o_dialog_warning, .o_dialog_error')
      .filter({ visible: true });
    if (await errors.count()) {
      throw new Error(`Odoo says: ${(await errors.first().innerText()).trim()}`);
    }
  }

  // Open a web client URL hash (`action=...&view_type=...`) and wait for
  // `selector`.
  async open(page, hash, selector) {
    await page.goto(`${BASE}/web#${hash}`);
    await page.waitForSelector(selector || '.o_content');
    await this.idle(page);
  }

  // The topmost dialog.
  dialog(page) {
    return page.locator('.modal').filter({ visible: true }).last();
  }

  // The visible field widget `name` in `scope` (a page, a dialog, a form).
  field(scope, name) {
    return scope.locator(`.o_field_widget[name="${name}"]`)
      .filter({ visible: true }).first();
  }

  // The visible button `name` (type object: the method; type action: the
  // action's database id) in `scope`.
  button(scope, name) {
    return scope.locator(`button[name="${name}"]`)
      .filter({ visible: true }).first();
  }

  // A button of the form's header (status bar). Odoo 11 renders them
  // without their name: find its label, in the user's language, in the
  // form view's arch, where `name` is the method or the action's id.
  async headerButton(page, model, name) {
    const info = await page.context().request.post(
      `${BASE}/web/session/get_session_info`,
      { data: { jsonrpc: '2.0', method: 'call', params: {} } });
    const context = (await info.json()).result.user_context;
    const view = await this.rpc(page, model, 'fields_view_get', [],
      { view_type: 'form', context });
    const label = await page.evaluate(([arch, name]) => {
      const xml = new DOMParser().parseFromString(arch, 'text/xml');
      const button = xml.querySelector(`header button[name="${name}"]`);
      return button && button.getAttribute('string');
    }, [view.arch, String(name)]);
    if (!label) throw new Error(`no header button ${name} in ${model}'s form`);
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const exact = new RegExp(`^\\s*${escaped}\\s*$`);  // the whole label
    return page.locator('.o_form_statusbar .o_statusbar_buttons button')
      .filter({ visible: true }).filter({ hasText: exact }).first();
  }

  async click(page, locator) {
    await locator.click();
    await this.idle(page);
  }

  // Type `value` into the field (char, number, date, datetime: as shown,
  // e.g. 15/03/2027 09:00:00) and leave it.
  async fill(scope, name, value) {
    const widget = this.field(scope, name);
    const tag = await widget.evaluate((el) => el.tagName);
    const input = ['INPUT', 'TEXTAREA'].includes(tag) ? widget
      : widget.locator('input, textarea').first();
    await input.fill(String(value));
    await input.press('Tab');
  }

  // Choose the record whose displayed name contains `label` (`search` by
  // default) in a many2one or many2many_tags field, after typing `search`.
  async choose(scope, name, search, label) {
    const page = scope.page ? scope.page() : scope;
    const input = this.field(scope, name).locator('input').first();
    await input.fill(search);
    const item = page.locator('ul.ui-autocomplete li.ui-menu-item a')
      .filter({ visible: true }).filter({ hasText: label || search }).first();
    await item.click();
    await this.idle(page);
  }

  async radio(scope, name, value) {
    await this.field(scope, name).locator(`input[data-value="${value}"]`)
      .check();
  }

  // Show the notebook page holding field `name`.
  async tab(page, name) {
    const pane = page.locator('.o_notebook .tab-pane')
      .filter({ has: page.locator(`.o_field_widget[name="${name}"]`) }).first();
    const id = await pane.getAttribute('id');
    await page.click(`.o_notebook a[href="#${id}"]`);
  }

  // The value shown by a field (readonly mode, or an input's value).
  async value(scope, name) {
    const widget = this.field(scope, name);
    return widget.evaluate((el) => {
      const input = el.matches('input, textarea') ? el
        : el.querySelector('input, textarea');
      return (input ? input.value : el.textContent).trim();
    });
  }

  // ------------------------------------------------------------- screenshots
  // docs/<name>.png, only with SCREENSHOTS=1 (make test leaves docs/ alone).
  // Follow the link `selector` to `url` (a glob), then check the page.
  async follow(page, selector, url) {
    await Promise.all([page.waitForURL(url), page.click(selector)]);
    await this.fits(page);
  }

  // Draw a signature in `form`'s pad (a zigzag with the mouse or the
  // finger), then send the form and wait for `url` (a glob).
  async signIn(page, form, url) {
    const pad = form.locator('canvas.o_training_signature_pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 12; step += 1) {
      await page.mouse.move(box.x + 20 + step * (box.width - 40) / 12,
        box.y + box.height / 2 + (step % 2 ? -30 : 30), { steps: 3 });
    }
    await page.mouse.up();
    await Promise.all([page.waitForURL(url),
      form.locator('button.o_training_signature_submit').click()]);
    await this.fits(page);
  }

  // A screenshot of the docs, which show a desktop's: none in a phone run.
  async docShot(page, name) {
    if (!this.phone) await this.shot(page, name);
  }

  async shot(page, name) {
    if (!SCREENSHOTS) return;
    await this.idle(page);
    await page.evaluate(() => document.activeElement.blur());  // no focus ring
    await page.mouse.move(0, 0);  // nor hover
    await page.waitForTimeout(500);  // animations (dialogs, fading)
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: file });
    this.log(`screenshot ${file}`);
  }
}

// Run `body(t)`: print `RESULT <json>` and exit 0, or print the error, the
// pages' URLs, save a screenshot of the page used last and exit 1. Bounded
// by SCENARIO_TIMEOUT; the browser is closed in every case.
function scenario(body) {
  let browser;
  let t;
  let timer;
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(
      `scenario timed out after ${TIMEOUT / 1000} s`)), TIMEOUT);
  });
  const main = async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ARGS,
    });
    t = new Scenario(browser);
    return body(t);
  };
  Promise.race([main(), deadline]).then(async (result) => {
    clearTimeout(timer);
    await browser.close();
    console.log(`RESULT ${JSON.stringify(result === undefined ? {} : result)}`);
    process.exit(0);
  }, async (error) => {
    clearTimeout(timer);
    console.log(`FAILED: ${error && error.stack || error}`);
    try {
      const pages = t ? t.pages.filter((page) => !page.isClosed()) : [];
      pages.forEach((page) => console.log(`page: ${page.url()}`));
      const last = t && t.current && !t.current.isClosed() ? t.current
        : pages[pages.length - 1];
      if (last) {
        await last.screenshot({ path: FAILURE_SCREENSHOT, timeout: 10000 });
        console.log(`screenshot of ${last.url()}: ${FAILURE_SCREENSHOT}`);
      }
    } catch (e) {
      console.log(`no screenshot: ${e}`);
    }
    if (browser) await browser.close().catch(() => {});
    process.exit(1);
  });
}

module.exports = { scenario, Scenario };
