// Portal (a trainee, `stagiaire`): from /my to their personal data, a
// phone number refused then saved; then their registration's planning and
// the .ics file of a sequence; then the training catalogue. Every page
// visited is checked not to scroll sideways (fits), at params.viewport (a
// 390 px phone) or a desktop's size; the screenshots at a desktop's only.
// Returns what the pages said and the file for TestPortalBrowser
// (test_browser.py) to check.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;
  const home = async (page) => {
    await t.goto(page, '/my');
    await t.fits(page);
  };

  const page = await t.login(p.login);
  await home(page);

  // 1. personal data: the back office's phone check, then saved at once
  await t.follow(page, 'a[href="/my/training/profile"]',
    '**/my/training/profile');
  const form = page.locator('form.o_training_profile');
  await form.locator('input[name=phone]').fill(p.bad_phone);
  await form.locator('button.o_training_profile_save').click();
  const refused = await page.locator('.o_training_profile_error').innerText();
  await page.waitForLoadState('load');  // the page the refusal came on
  await t.fits(page);
  await form.locator('input[name=phone]').fill(p.phone);
  await t.docShot(page, 'portal-trainee-profile');
  await Promise.all([
    page.waitForURL('**/my/training/profile?saved=1'),
    form.locator('button.o_training_profile_save').click(),
  ]);
  await t.fits(page);
  const saved = await page.locator('.o_training_profile_saved').innerText();
  const phone = await form.locator('input[name=phone]').inputValue();

  // 2. the planning of a registration and a sequence's .ics
  await home(page);
  await t.follow(page, 'a[href="/my/training"]', '**/my/training');
  await t.follow(page, `a.o_training_registration_${p.registration_id}`,
    `**/my/training/registration/${p.registration_id}`);
  await t.docShot(page, 'portal-trainee-registration');
  // the planning's rows: cards on a phone, table rows on a desktop
  const planningRows = await page.locator('table.o_training_planning tbody tr')
    .first().evaluate((row) => getComputedStyle(row).display);
  const ics = await t.download(page, page.locator(
    `a.o_training_ics[href$="/sequence/${p.sequence_id}.ics"]`));

  // 3. the catalogue: the sessions they may ask to attend
  await home(page);
  await t.follow(page, 'a[href="/my/training/catalogue"]',
    '**/my/training/catalogue');
  const catalogue = await page.locator('button.o_training_request').count();

  return { refused, saved, phone, ics_name: ics.name, ics: ics.text,
    catalogue, planningRows, checked: t.checked };
});
