// Portal, a certification session's three steps (manual 003, issue 14), by
// the demo users: the entity's delegate (`delegataire`) creates the session,
// checks the trainer by name typed without accents, adds two candidates,
// corrects one, removes the other and submits it; the trainer
// (`formateur.certif`) records the result and sends it; the entity's manager
// (`gestionnaire.certif`) generates the certificates, sees their download
// links, then "Mon entité". At params.viewport (a 390 px phone): every page
// visited is checked not to scroll sideways, and the list, the trainer's
// check and the downloads at a desktop's size too. params.shots: the
// screenshots to take, by step. Returns the ids and what the pages said for
// test_browser_certification.py to check.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;
  const shots = p.shots || {};
  const shot = async (page, step) => {
    if (shots[step]) await t.shot(page, shots[step]);
  };
  // the page at a desktop's size too, for the desktop screenshot of `step`
  const desktop = async (page, step) => t.atDesktop(page, async () => {
    await t.fits(page);
    await shot(page, step);
  });
  // click `button` (a form's): the tab the controller redirects to, "saved"
  const post = async (page, button, tab) => {
    await Promise.all([
      page.waitForURL(new RegExp(`[?&]saved=1&tab=${tab}$`)),
      button.click(),
    ]);
    await page.waitForLoadState('load');
    await t.fits(page);
  };
  const tab = async (page, name) => {
    await Promise.all([
      page.waitForURL(new RegExp(`[?&]tab=${name}$`)),
      page.click(`.o_training_entity_tabs a[href$="?tab=${name}"]`),
    ]);
    await page.waitForLoadState('load');
    await t.fits(page);
  };

  // 1. the delegate: from /my to the list, a new session
  const delegate = await t.login(p.delegate, null, '/my');
  await t.fits(delegate);
  await delegate.click('a[href="/my/training/certifications"]');
  await delegate.waitForURL('**/my/training/certifications');
  await t.fits(delegate);
  await delegate.click('a.o_training_entity_new');
  await delegate.waitForURL('**/my/training/certification/new');
  await t.fits(delegate);
  const form = delegate.locator('form.o_training_entity_session_form');
  await form.locator('select[name=scheme_id]').selectOption(String(p.scheme_id));
  await form.locator('select[name=certificate_type_id]')
    .selectOption(String(p.certificate_type_id));
  await form.locator('input[name=date_end]').fill(p.date_end);
  await form.locator('input[name=place_zip]').fill(p.zip);
  await form.locator('input[name=place_city]').fill(p.city);
  await shot(delegate, 'new');
  await Promise.all([
    delegate.waitForURL(/\/my\/training\/certification\/\d+\?tab=trainer$/),
    form.locator('button.o_training_entity_save').click(),
  ]);
  await t.fits(delegate);
  const sessionId = Number(/certification\/(\d+)/.exec(delegate.url())[1]);
  const number = (await delegate.locator('h3.page-header')
    .innerText()).trim().split(/\s/)[0];
  t.log(`session ${number} (${sessionId})`);

  // the trainer, by name and birth date, without the accents
  const trainerForm = delegate.locator('form.o_training_entity_trainer_form');
  await trainerForm.locator('input[name=trainer_lastname]')
    .fill(p.trainer.lastname);
  await trainerForm.locator('input[name=trainer_firstname]')
    .fill(p.trainer.firstname);
  await trainerForm.locator('input[name=trainer_birthdate]')
    .fill(p.trainer.birthdate);
  await post(delegate, trainerForm.locator(
    'button.o_training_entity_check_trainer'), 'trainer');
  const trainerCheck = await delegate.locator(
    '.o_training_entity_trainer_check.alert-success').innerText();
  await shot(delegate, 'trainer_check_phone');
  await desktop(delegate, 'trainer_check');

  // two candidates; the first corrected, the second removed
  await tab(delegate, 'candidates');
  const candidateForm = delegate.locator(
    'form.o_training_entity_candidate_form');
  for (const candidate of p.candidates) {
    for (const name of ['lastname', 'firstname', 'birthdate']) {
      await candidateForm.locator(`input[name=${name}]`).fill(candidate[name]);
    }
    await post(delegate, candidateForm.locator(
      'button.o_training_entity_save_candidate'), 'candidates');
  }
  await shot(delegate, 'candidates');
  const row = (candidate) => delegate.locator(
    'table.o_training_entity_candidates tbody tr')
    .filter({ hasText: candidate.lastname.toUpperCase() });
  const [kept, removed] = p.candidates;
  const edit = row(kept).locator('a[class*=o_training_entity_edit_candidate_]');
  const keptId = Number((await edit.getAttribute('class'))
    .match(/o_training_entity_edit_candidate_(\d+)/)[1]);
  await Promise.all([
    delegate.waitForURL(new RegExp(`[?&]edit=${keptId}$`)),
    edit.click(),
  ]);
  await t.fits(delegate);
  await candidateForm.locator('input[name=firstname]')
    .fill(p.correction.firstname);
  await candidateForm.locator('input[name=email]').fill(p.correction.email);
  await post(delegate, candidateForm.locator(
    'button.o_training_entity_save_candidate'), 'candidates');
  await post(delegate, row(removed).locator(
    'button.o_training_entity_remove_candidate'), 'candidates');
  const candidatesLeft = await delegate.locator(
    'table.o_training_entity_candidates tbody tr').count();

  // the Session tab, then to the trainer
  await tab(delegate, 'session');
  await shot(delegate, 'session');
  await post(delegate, delegate.locator('button.o_training_entity_submit'),
    'session');

  // 2. the trainer: their page of the session, the result, sent
  const trainer = await t.login(p.trainer.login, null,
    `/my/training/certification/${sessionId}`);
  await t.fits(trainer);
  const results = trainer.locator('form.o_training_certification');
  await results.locator(`select[name="result_${keptId}"]`)
    .selectOption('pass');
  await shot(trainer, 'results');
  await Promise.all([
    trainer.waitForURL(`**/my/training/certification/${sessionId}?saved=1`),
    results.locator('button.o_training_send_results').click(),
  ]);
  await t.fits(trainer);

  // 3. the manager: the list, the session's Downloads tab, generate
  const manager = await t.login(p.manager, null,
    '/my/training/certifications');
  t.acceptDialogs(manager);  // "Generate them?"
  await t.fits(manager);
  await shot(manager, 'list_phone');
  await desktop(manager, 'list');
  await manager.click(`a.o_training_entity_session_${sessionId}`);
  await manager.waitForURL(`**/my/training/certification/${sessionId}`);
  await t.fits(manager);
  await tab(manager, 'downloads');
  await post(manager, manager.locator('button.o_training_entity_generate'),
    'downloads');
  const downloadAll = manager.locator('a.o_training_entity_download_all');
  await downloadAll.waitFor();
  const certificates = await manager.locator(
    '.o_training_entity_certificates a').allInnerTexts();
  const file = await manager.context().request.get(
    new URL(await downloadAll.getAttribute('href'), manager.url()).href);
  await shot(manager, 'downloads_phone');
  await desktop(manager, 'downloads');

  // "Mon entité": the habilitations and teaching platforms
  await Promise.all([
    manager.waitForURL('**/my/training/entity'),
    manager.click('.o_training_entity_menu a[href="/my/training/entity"]'),
  ]);
  await t.fits(manager);
  const habilitations = await manager.locator(
    'table.o_training_entity_habilitations tbody tr').count();
  await shot(manager, 'my_entity');

  return {
    session_id: sessionId, number, kept_id: keptId, trainer_check: trainerCheck,
    candidates_left: candidatesLeft, certificates, habilitations,
    file_type: file.headers()['content-type'],
    file_start: (await file.body()).toString('latin1', 0, 5),
    checked: t.checked,
  };
});
