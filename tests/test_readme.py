# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import unittest

import gen_description  # tools/, on the path in tools/test.sh


class TestAppsDescription(unittest.TestCase):
    """static/description/index.html is the Apps page of the addon: built
    from readme/ by tools/gen_description.py, without a docutils warning
    (the build halts on one), and committed up to date."""

    def test_page_is_up_to_date(self):
        with open(gen_description.TARGET, encoding='utf-8') as handle:
            committed = handle.read()
        self.assertEqual(
            committed, gen_description.render(),
            'static/description/index.html is stale: run '
            '.venv/bin/python tools/gen_description.py')
        self.assertIn('LHEO', committed)
