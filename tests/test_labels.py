# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests.common import TransactionCase

# what the Training menus show whole in the side bar (a longer name is
# cut: "Demandes de modifica...")
MENU_WIDTH = 22


class TestLabels(TransactionCase):
    """Issue 18: the French labels as a new user reads them."""

    def _french(self, records, field='name'):
        return records.with_context(lang='fr_FR').mapped(field)

    def test_menus_are_short_and_none_is_an_empty_section(self):
        root = self.env.ref('training_session.training_menu_root')
        menus = self.env['ir.ui.menu'].search(
            [('id', 'child_of', root.id), ('id', '!=', root.id)])
        self.assertGreater(len(menus), 20)
        for menu, name in zip(menus, self._french(menus)):
            self.assertLessEqual(len(name), MENU_WIDTH, name)
            if menu.parent_id == root:
                # a first-level entry is a section, with its entries below
                self.assertTrue(menu.child_id, name)
        documents = self.env.ref(
            'training_session.training_document_folder_menu')
        self.assertEqual(self._french(documents), ['Documents stagiaires'])
        self.assertNotEqual(documents.parent_id, root)
        self.assertEqual(self._french(self.env.ref(
            'training_session.training_lheo_export_menu')), ['Flux LHEO'])

    def test_hours_unit_and_pre_work(self):
        Mail = self.env['training.session.mail'].with_context(lang='fr_FR')
        units = dict(Mail._fields['delay_unit']._description_selection(
            Mail.env))
        self.assertEqual(units['hours'], 'Heures')
        Sequence = self.env['training.sequence'].with_context(lang='fr_FR')
        self.assertEqual(Sequence.fields_get(['is_prework'])['is_prework'][
            'string'], 'Travail préparatoire')
