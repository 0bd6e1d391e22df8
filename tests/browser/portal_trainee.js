// Portal (a trainee, `stagiaire`): from /my to their personal data, a
// phone number refused then saved; then their registration's planning and
// the .ics file of a sequence. Returns what the pages said and the file
// for TestPortalBrowser (test_browser.py) to check.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;
  const page = await t.login(p.login);
  await t.goto(page, '/my');

  // 1. personal data: the back office's phone check, then saved at once
  await page.click('a[href="/my/training/profile"]');
  const form = page.locator('form.o_training_profile');
  await form.locator('input[name=phone]').fill(p.bad_phone);
  await form.locator('button.o_training_profile_save').click();
  const refused = await page.locator('.o_training_profile_error').innerText();
  await form.locator('input[name=phone]').fill(p.phone);
  await t.shot(page, 'portal-trainee-profile');
  await Promise.all([
    page.waitForURL('**/my/training/profile?saved=1'),
    form.locator('button.o_training_profile_save').click(),
  ]);
  const saved = await page.locator('.o_training_profile_saved').innerText();
  const phone = await form.locator('input[name=phone]').inputValue();

  // 2. the planning of a registration and a sequence's .ics
  await t.goto(page, '/my');
  await page.click('a[href="/my/training"]');
  await page.click(`a.o_training_registration_${p.registration_id}`);
  await page.waitForURL(`**/my/training/registration/${p.registration_id}`);
  await t.shot(page, 'portal-trainee-registration');
  const ics = await t.download(page, page.locator(
    `a.o_training_ics[href$="/sequence/${p.sequence_id}.ics"]`));
  return { refused, saved, phone, ics_name: ics.name, ics: ics.text };
});
