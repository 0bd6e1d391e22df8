// Back office (a training user, `gestionnaire`, issue 18): the dashboard is
// where they land; a tile opens what it counts; the planning timeline by
// room shows the slots, double bookings in red. Returns what it saw for
// TestDashboardBrowser (test_browser.py) to check.
'use strict';
const { scenario } = require('./lib');

scenario(async (t) => {
  const p = t.params;
  const page = await t.backOffice(p.login);

  // 1. the home action: the dashboard and its tiles
  await page.waitForSelector('.o_training_dashboard');
  const tiles = await page.locator('.o_training_tile_label').allInnerTexts();
  const upcoming = (await page.locator('.o_training_tile_value')
    .first().innerText()).trim();
  const pagers = await page.locator('.o_cp_pager .o_pager_counter')
    .filter({ visible: true }).count();
  await t.docShot(page, 'dashboard');

  // 2. a tile opens the records it counts
  await t.click(page, page.locator('.o_training_tile').first());
  await page.waitForSelector('.o_list_view');
  await t.idle(page);
  const rows = await page.locator('.o_list_view tbody tr.o_data_row').count();

  // 3. the planning by room
  await t.open(page, 'action=training_session.training_slot_action_timeline_room&view_type=timeline',
    '.oe_timeline_view');
  await page.waitForSelector('.vis-item', { timeout: 30000 });
  const items = await page.locator('.vis-item').count();
  const groups = await page.locator('.vis-label').allInnerTexts();
  await t.docShot(page, 'planning-timeline');
  return { tiles, upcoming, pagers, rows, items, groups };
});
