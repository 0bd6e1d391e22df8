# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.1.0: the trainees' record rules changed (issue 16: enrolled
trainees see their sessions unpublished). The rules file is loaded with
noupdate, which an update never rewrites: these four rules are written
from it, as a new install has them."""
import os

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.modules.module import get_module_resource

RULES = (
    'training_session_rule_trainee',
    'training_sequence_rule_trainee',
    'training_slot_rule_trainee',
    'training_registration_rule_trainee',
)
FIELDS = ('name', 'domain_force')


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    path = get_module_resource('training_session', 'security',
                               'training_session_rules.xml')
    tree = etree.parse(os.path.realpath(path))
    for xmlid in RULES:
        record = tree.find(".//record[@id='%s']" % xmlid)
        rule = env.ref('training_session.%s' % xmlid, raise_if_not_found=False)
        if record is None or not rule:
            continue
        rule.write({field: record.find("field[@name='%s']" % field).text
                    for field in FIELDS})
