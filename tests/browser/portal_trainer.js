// Portal (a trainer, `formateur`): from /my to the slots they teach, open
// one, record a trainee's attendance with a comment and save; then a
// certification trainer (params.certification: `formateur.certif`) from /my
// to their certification sessions and one's results, without acting. Every
// page visited is checked not to scroll sideways (fits), at params.viewport
// (a 390 px phone) or a desktop's size; the screenshots at a desktop's only.
// Returns what the pages said for TestPortalBrowser (test_browser.py) to
// check.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;

  const page = await t.login(p.login);
  await t.goto(page, '/my');  // portal users land on the website's home
  await t.fits(page);
  await t.follow(page, 'a[href="/my/training/teaching"]',
    '**/my/training/teaching');
  await t.follow(page, `a.o_training_slot_${p.slot_id}`,
    `**/my/training/slot/${p.slot_id}`);
  const sheet = page.locator('form.o_training_slot_attendance');
  await sheet.locator(`select[name="state_${p.attendance_id}"]`)
    .selectOption(p.state);
  await sheet.locator(`input[name="comment_${p.attendance_id}"]`)
    .fill(p.comment);
  await t.docShot(page, 'portal-trainer-slot');
  await Promise.all([
    page.waitForURL('**/my/training/slot/*?saved=1'),
    sheet.locator('button.o_training_slot_save').click(),
  ]);
  await t.fits(page);
  const saved = await page.locator('.o_training_slot_saved').innerText();
  // the page shows what was saved
  const state = await sheet.locator(`select[name="state_${p.attendance_id}"]`)
    .inputValue();
  const comment = await sheet.locator(`input[name="comment_${p.attendance_id}"]`)
    .inputValue();
  // the session's page: its sheets and the trainees' directory
  await t.follow(page, 'a.o_training_session_link',
    `**/my/training/session/${p.session_id}`);
  const directory = await page.locator('.o_training_directory li').count();

  // the certification trainer: their sessions, one's results to enter
  const c = p.certification;
  const trainer = await t.login(c.login, null, '/my');
  await t.fits(trainer);
  await t.follow(trainer, 'a[href="/my/training/certifications"]',
    '**/my/training/certifications');
  const session = `/my/training/certification/${c.session_id}`;
  await t.follow(trainer, `a[href="${session}"]`, `**${session}`);
  const results = await trainer.locator(
    'form.o_training_certification select[name^="result_"]:enabled').count();

  return { saved, state, comment, directory, results, checked: t.checked };
});
