// Portal (a trainer, `formateur`): from /my to the slots they teach, open
// one, record a trainee's attendance with a comment and save. Returns what
// the page said for TestPortalBrowser (test_browser.py) to check.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;
  const page = await t.login(p.login);
  await t.goto(page, '/my');  // portal users land on the website's home
  await page.click('a[href="/my/training/teaching"]');
  await page.click(`a.o_training_slot_${p.slot_id}`);
  await page.waitForURL(`**/my/training/slot/${p.slot_id}`);
  const sheet = page.locator('form.o_training_slot_attendance');
  await sheet.locator(`select[name="state_${p.attendance_id}"]`)
    .selectOption(p.state);
  await sheet.locator(`input[name="comment_${p.attendance_id}"]`)
    .fill(p.comment);
  await t.shot(page, 'portal-trainer-slot');
  await Promise.all([
    page.waitForURL('**/my/training/slot/*?saved=1'),
    sheet.locator('button.o_training_slot_save').click(),
  ]);
  const saved = await page.locator('.o_training_slot_saved').innerText();
  // the page shows what was saved
  const state = await sheet.locator(`select[name="state_${p.attendance_id}"]`)
    .inputValue();
  const comment = await sheet.locator(`input[name="comment_${p.attendance_id}"]`)
    .inputValue();
  return { saved, state, comment };
});
