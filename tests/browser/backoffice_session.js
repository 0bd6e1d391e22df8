// Back office (a training user, `gestionnaire`): create a session from a
// course with the "Create a session" wizard, add a sequence and its slot,
// register a trainee and download their planning (.ics), duplicate the
// session on new dates. Returns the ids, codes and the .ics for
// TestBackOfficeBrowser (test_browser.py) to check.
'use strict';
const { scenario } = require('./lib');

const SESSIONS = 'action=training_session.training_session_action&model=training.session';

scenario(async (t) => {
  const p = t.params;
  const page = await t.backOffice(p.login);

  // 1. the sessions list's "Create a session" button: the wizard, "Create"
  await t.open(page, `${SESSIONS}&view_type=list`, '.o_list_view');
  // issue 18: one way to create a session, no standard "Create" beside it
  if (await page.locator('.o_list_button_add').count()) {
    throw new Error('the sessions list shows "Create" beside "Create a session"');
  }
  await t.click(page, page.locator('.o_training_session_create'));
  let wizard = t.dialog(page);
  await t.radio(wizard, 'mode', 'create');
  await t.click(page, t.button(wizard, 'action_continue'));

  // 2. the new session's form: the course fills the form
  const form = page.locator('.o_form_view.o_form_editable');
  await form.waitFor();
  await t.choose(form, 'course_id', p.course_search, p.course_name);
  if (await t.value(form, 'name') !== p.course_name) {
    throw new Error('the course did not fill the session label');
  }
  await t.fill(form, 'name', p.name);
  await t.fill(form, 'year', p.year);

  // 3. planning: a new sequence and its slot, in one go (the slot's
  // Sequence field is hidden there: the sequence is not saved yet)
  await t.tab(page, 'sequence_ids');
  const sequences = t.field(form, 'sequence_ids');
  await t.click(page, sequences.locator('.o_field_x2many_list_row_add a'));
  const sequence = t.dialog(page);
  await t.fill(sequence, 'name', p.sequence);
  await t.click(page, t.field(sequence, 'slot_ids')
    .locator('.o_field_x2many_list_row_add a'));
  const slot = t.dialog(page);
  await t.fill(slot, 'date_start', p.slot_start);
  await t.fill(slot, 'date_end', p.slot_end);
  await t.shot(page, 'browser-slot-dialog');
  await t.click(page, slot.locator('.modal-footer .btn-primary').first());
  await sequence.locator('.o_field_widget[name=slot_ids] .o_data_row')
    .first().waitFor();
  await t.click(page, sequence.locator('.modal-footer .btn-primary').first());
  await t.click(page, page.locator('.o_form_button_save'));
  await page.locator('.o_form_view.o_form_readonly').waitFor();
  const sessionId = Number(new URLSearchParams(
    new URL(page.url()).hash.slice(1)).get('id'));
  const code = await t.value(page, 'code');
  t.log(`session ${sessionId} ${code}`);
  await page.evaluate(() => document.querySelector('.o_content').scrollTo(0, 0));
  await t.shot(page, 'browser-session-created');

  // 4. "Register trainees" (an action button: named by the action's id)
  const register = await t.ref(
    page, 'training_session.training_registration_wizard_action');
  await t.click(page, await t.headerButton(page, 'training.session', register));
  wizard = t.dialog(page);
  await t.choose(wizard, 'partner_ids', p.trainee_search, p.trainee_name);
  await t.shot(page, 'browser-registration-wizard');
  await t.click(page, t.button(wizard, 'action_register'));
  // the registrations just created are listed: the trainee's planning
  await t.click(page, page.locator('.o_list_view .o_data_row').first());
  await page.locator('.o_form_view .o_field_widget[name=partner_id]').waitFor();
  const ics = await t.download(page, await t.headerButton(
    page, 'training.registration', 'action_download_ics'));
  t.log(`downloaded ${ics.name}`);

  // 5. duplicate it: the wizard's "Duplicate", the session, the dates
  await t.open(page, `${SESSIONS}&view_type=list`, '.o_list_view');
  await t.click(page, page.locator('.o_training_session_create'));
  wizard = t.dialog(page);
  await t.radio(wizard, 'mode', 'duplicate');
  await t.click(page, t.button(wizard, 'action_continue'));
  await t.choose(wizard, 'source_session_id', code, code);
  await t.click(page, t.button(wizard, 'action_next'));
  await t.fill(wizard, 'year', p.copy_year);
  await t.fill(wizard, 'date_start', p.copy_start);
  await t.fill(wizard, 'date_end', p.copy_end);
  await t.click(page, t.button(wizard, 'action_duplicate'));
  await t.button(wizard, 'action_open_session').waitFor();
  await t.shot(page, 'browser-session-duplicated');
  await t.click(page, t.button(wizard, 'action_open_session'));
  await page.locator('.o_form_view.o_form_readonly').waitFor();
  const copyId = Number(new URLSearchParams(
    new URL(page.url()).hash.slice(1)).get('id'));
  const copyCode = await t.value(page, 'code');
  t.log(`copy ${copyId} ${copyCode}`);
  return {
    session_id: sessionId, code, copy_id: copyId, copy_code: copyCode,
    ics_name: ics.name, ics: ics.text,
  };
});
