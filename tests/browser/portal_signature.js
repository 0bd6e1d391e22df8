// Attendance signed on the phone (issue 17): the trainer (`formateur`)
// opens a slot happening now and shows its QR code; two trainees
// (params.trainees) follow its link, log in and sign with their finger;
// the trainer countersigns. Every page is checked not to scroll sideways
// at params.viewport (a 390 px phone) or a desktop's size.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;
  const slot = `/my/training/slot/${p.slot_id}`;
  const trainer = await t.login(p.trainer, null, slot);
  await trainer.waitForURL(`**${slot}`);
  await t.fits(trainer);
  const link = await trainer.locator('.o_training_signing_qr a')
    .getAttribute('href');
  const qr = await trainer.locator('.o_training_signing_qr img')
    .evaluate((img) => img.complete && img.naturalWidth > 0);
  await t.docShot(trainer, 'portal-signing-qr-code');

  const signed = [];
  for (const login of p.trainees) {
    // the phone's camera opens the link: the login page first
    const path = new URL(link).pathname;
    const page = await t.login(login, null, path);
    await page.waitForURL('**/my/training/attendance/*/sign');
    await t.fits(page);
    if (!signed.length) await t.docShot(page, 'portal-signing-pad');
    await t.signIn(page, page.locator('form.o_training_signature_form'),
      '**/my/training/registration/*?signed=*');
    signed.push(await page.locator('.o_training_signed_saved').isVisible());
  }

  await t.goto(trainer, slot);
  await t.fits(trainer);
  const count = await trainer.locator('.o_training_signed_count').innerText();
  await t.signIn(trainer, trainer.locator('form.o_training_signature_form'),
    `**${slot}?countersigned=1`);
  const countersigned = await trainer.locator('.o_training_countersigned')
    .innerText();
  return { qr, signed, count, countersigned, checked: t.checked };
});
