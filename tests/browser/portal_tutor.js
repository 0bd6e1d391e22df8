// Portal (a tutor, `tuteur`, manual 004): from /my to the attendance they
// validate, a slot, then its session's page; download the registrant
// list, complete a trainee's e-mail, send the documentation with a
// document of the tutors' folders. Every page visited is checked not to
// scroll sideways (fits), at params.viewport (a 390 px phone) or a
// desktop's size; the screenshots at a desktop's only. Returns what the
// pages said for TestPortalBrowser (test_browser.py) to check.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;
  const session = `/my/training/session/${p.session_id}`;

  const page = await t.login(p.login);
  await t.goto(page, '/my');
  await t.fits(page);
  await t.follow(page, 'a[href="/my/training/tutoring"]',
    '**/my/training/tutoring');
  await t.follow(page, `a.o_training_slot_${p.slot_id}`,
    `**/my/training/slot/${p.slot_id}`);
  await t.follow(page, 'a.o_training_session_link', `**${session}`);
  await t.docShot(page, 'portal-tutor-session');
  const registrants = await t.download(
    page, page.locator('a.o_training_registrant_list'));

  // the trainee's missing e-mail
  await t.follow(page, `a.o_training_complete_${p.trainee_id}`,
    `**${session}/trainee/${p.trainee_id}`);
  const form = page.locator('form.o_training_contact');
  await form.locator('input[name="email"]').fill(p.email);
  await Promise.all([
    page.waitForURL(`**${session}?saved=*`),
    form.locator('button.o_training_contact_save').click(),
  ]);
  await t.fits(page);
  const contact = await page.locator(`.o_training_trainee_${p.trainee_id}`)
    .innerText();

  // Envoi documentation
  await t.follow(page, 'a.o_training_send_documentation',
    `**${session}/documentation`);
  const mailing = page.locator('form.o_training_documentation');
  await mailing.locator(`input[name="document_id"][value="${p.document_id}"]`)
    .check();
  await t.docShot(page, 'portal-tutor-documentation');
  await Promise.all([
    page.waitForURL(`**${session}?sent=1`),
    mailing.locator('button.o_training_documentation_send').click(),
  ]);
  await t.fits(page);
  const sent = await page.locator('.o_training_documentation_sent')
    .isVisible();

  return { registrants: registrants.name, contact, sent,
    checked: t.checked };
});
