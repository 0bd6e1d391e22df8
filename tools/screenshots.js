// Screenshots of the real UI for the README, taken from a running `make run`
// (http://localhost:8069, database training_demo) with Debian's Chromium:
//   NODE_PATH=.local/node/node_modules node tools/screenshots.js
// (tools/setup.sh installs playwright-core in .local/node.)
const { chromium } = require('playwright-core');

const BASE = process.env.ODOO_URL || 'http://localhost:8069';
const OUT = process.env.OUT || 'docs';

async function login(page, login) {
  await page.goto(`${BASE}/web/login?db=training_demo`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', login);
  await page.click('button[type=submit]');
  await page.waitForSelector('.o_main_navbar, .o_main', { timeout: 60000 });
}

async function shot(page, url, file, waitFor) {
  await page.goto(`${BASE}${url}`);
  await page.waitForSelector(waitFor || '.o_content', { timeout: 60000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}/${file}` });
  console.log(`${OUT}/${file}`);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  // Odoo 11's web client shows datetimes in the browser's time zone
  const page = await browser.newPage({
    viewport: { width: 1400, height: 860 }, timezoneId: 'Europe/Paris', locale: 'fr-FR' });
  await login(page, 'responsable');
  const sessions = 'action=training_session.training_session_action&model=training.session';
  await shot(page, `/web#${sessions}&view_type=list`, 'sessions-list.png', '.o_list_view');
  await page.click('.o_training_session_create');
  await page.waitForSelector('.modal-dialog .o_form_view', { timeout: 30000 });
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/session-create-wizard.png` });
  console.log(`${OUT}/session-create-wizard.png`);
  // Import: a small CSV with one wrong line, up to the preview
  await page.click('.modal-dialog input[type=radio][data-value=import], .modal-dialog .o_radio_item:nth-child(3) input');
  await page.click('.modal-dialog footer button.btn-primary:visible, .modal-footer button.btn-primary:visible');
  // the import opens as a page of its own (imports are kept)
  await page.waitForSelector('.o_form_view input[type=file]', { state: 'attached', timeout: 30000 });
  const fs = require('fs');
  const csv = '/tmp/partner-sessions.csv';
  fs.writeFileSync(csv, 'external_ref;name;course_code;year;date_start;date_end;capacity_max;organisation;place\n' +
    'PART-101;Gestion du stress;;2027;12/01/2027;13/01/2027;12;Formapro Conseil;Campus Lyon Part-Dieu\n' +
    'PART-102;Excel débutant;BUR-EXC2;2027;31/02/2027;01/03/2027;10;;\n' +
    'PART-103;Prise de parole en public;;2027;02/02/2027;03/02/2027;douze;;\n');
  await page.setInputFiles('.o_form_view input[type=file]', csv);
  await page.waitForTimeout(1500);
  await page.click('.o_form_statusbar button.btn-primary:visible');
  await page.waitForSelector('.o_form_view .o_notebook .o_list_view', { timeout: 30000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: `${OUT}/session-import-preview.png` });
  console.log(`${OUT}/session-import-preview.png`);
  await shot(page, `/web#${sessions}&view_type=kanban`, 'sessions-kanban.png', '.o_kanban_view');
  const find = async (xmlid) => page.evaluate(async (xmlid) => {
    const r = await fetch('/web/dataset/call_kw', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: {
        model: 'ir.model.data', method: 'xmlid_to_res_id', args: [xmlid], kwargs: {} } }),
    });
    return (await r.json()).result;
  }, xmlid);
  const complex = await find('training_session.training_session_management_demo');
  const draft = await find('training_session.training_session_sst_demo');
  await shot(page, `/web#id=${draft}&${sessions}&view_type=form`, 'session-draft-form.png', '.o_form_view');
  await shot(page, `/web#id=${complex}&${sessions}&view_type=form`, 'session-form.png', '.o_form_view');
  // a tab of the form (by its French label), scrolled to the top
  const tab = async (label, file) => {
    await page.click(`.o_notebook .nav-tabs a:has-text("${label}")`);
    await page.waitForTimeout(500);
    await page.evaluate(() => document.querySelector('.o_notebook').scrollIntoView());
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${OUT}/${file}` });
    console.log(`${OUT}/${file}`);
  };
  await tab('Planification', 'session-planning.png');
  // costs, fundings and the orange reminder (no evaluation chosen yet)
  await tab('Coûts', 'session-costs.png');
  // e-mail settings with their estimated sends and the calendar invitations
  await tab('E-mails', 'session-mails.png');
  await page.evaluate(() => document.querySelector('.o_content').scrollTo(0, 0));
  // the documentation mailing wizard of the same session
  await page.click('.o_form_statusbar button:has-text("documentation")');
  await page.waitForSelector('.modal-dialog .o_form_view', { timeout: 30000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: `${OUT}/documentation-wizard.png` });
  console.log(`${OUT}/documentation-wizard.png`);
  await page.keyboard.press('Escape');
  const request = await find('training_session.training_change_request_forp_demo');
  const requests = 'action=training_session.training_change_request_action&model=training.change.request';
  await page.goto(`${BASE}/web#id=${request}&${requests}&view_type=form`);
  await page.waitForSelector('.o_form_view', { timeout: 60000 });
  await page.click('.o_notebook .nav-tabs li:nth-child(2) a');
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/change-request-summary.png` });
  console.log(`${OUT}/change-request-summary.png`);
  // the LHEO feed of the demo: produced, ready to download
  await page.goto(`${BASE}/web#action=training_session.training_lheo_export_wizard_action`);
  await page.waitForSelector('.modal-dialog .o_form_view', { timeout: 60000 });
  await page.click('.modal-footer button.btn-primary:visible');
  await page.waitForSelector('.modal-dialog a:has-text(".xml")', { timeout: 60000 });
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/lheo-feed.png` });
  console.log(`${OUT}/lheo-feed.png`);
  await page.keyboard.press('Escape');
  const slots = 'action=training_session.training_slot_action&model=training.slot';
  await shot(page, `/web#${slots}&view_type=calendar`, 'planning-calendar.png', '.o_calendar_view');
  // certification: the delegate's session being entered, its candidates
  const delegate = await browser.newPage({
    viewport: { width: 1400, height: 860 }, timezoneId: 'Europe/Paris', locale: 'fr-FR' });
  await login(delegate, 'delegataire');
  const entry = await delegate.evaluate(async () => {
    const r = await fetch('/web/dataset/call_kw', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: {
        model: 'ir.model.data', method: 'xmlid_to_res_id',
        args: ['training_session.training_certification_session_draft_demo'], kwargs: {} } }),
    });
    return (await r.json()).result;
  });
  const certifications = 'action=training_session.training_certification_session_action&model=training.certification.session';
  await delegate.goto(`${BASE}/web#id=${entry}&${certifications}&view_type=form`);
  await delegate.waitForSelector('.o_form_view', { timeout: 60000 });
  await delegate.click('.o_notebook .nav-tabs a:has-text("Candidats")');
  await delegate.waitForTimeout(1000);
  await delegate.screenshot({ path: `${OUT}/certification-session.png` });
  console.log(`${OUT}/certification-session.png`);
  // the portal's screenshots come from the browser tests
  // (tests/browser/portal_*.js, SCREENSHOTS=1 make test)
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
