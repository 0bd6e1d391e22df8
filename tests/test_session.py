from odoo.tests.common import SavepointCase


class TestSmoke(SavepointCase):
    def test_code(self):
        s = self.env['training.session'].create({'name': 'X', 'year': 2031})
        self.assertEqual(s.code, '2031-0001')
