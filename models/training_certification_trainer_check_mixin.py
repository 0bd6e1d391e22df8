# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import unicodedata

from odoo import _, api, fields, models
from odoo.exceptions import UserError

TRAINER_GROUP = 'training_session.group_training_session_trainer'
# outcome of the trainer check, in the order the checks are made
TRAINER_CHECKS = [
    ('not_found', 'Person not found'),
    ('ambiguous', 'Several people match'),
    ('not_trainer', 'Not a trainer'),
    ('not_qualified', 'No qualification for the scheme'),
    ('qualification_expired', 'Qualification not valid on the end date'),
    ('ok', 'Qualified trainer'),
]
# how the trainer is looked for
TRAINER_SEARCH_FIELDS = {'trainer_national_number', 'trainer_lastname',
                         'trainer_firstname', 'trainer_birthdate'}
# what the trainer is checked against, besides how they are looked for
TRAINER_CHECKED_FIELDS = {'scheme_id', 'date_end'}


def _literal(text):
    """``text`` for an =ilike match of itself only: the LIKE wildcards
    escaped."""
    return re.sub(r'([\\%_])', r'\\\1', text.strip())


def _fold(text):
    """``text`` without its accents, case folded: 'Hélène' and 'HELENE'
    both give 'helene'."""
    decomposed = unicodedata.normalize('NFKD', (text or '').strip())
    return ''.join(char for char in decomposed
                   if not unicodedata.combining(char)).casefold()


class TrainingCertificationTrainerCheckMixin(models.AbstractModel):
    """The trainer check of a certification session (manual 003): the
    trainer looked for by national number, or by last name, first name and
    birth date, then checked (trainer role, qualification for the scheme
    valid on the end date). The model (a mail.thread) provides ``name``,
    ``scheme_id``, ``date_end``, ``_check_entity_can_edit`` and
    ``_write_workflow``."""
    _name = 'training.certification.trainer.check.mixin'
    _description = 'Trainer check of a certification session'

    trainer_national_number = fields.Char(
        string='Trainer\'s national number',
        help='Give the national number, or the last name, first name and '
             'birth date of the trainer, then check the trainer.',
    )
    trainer_lastname = fields.Char(string='Trainer\'s last name')
    trainer_firstname = fields.Char(string='Trainer\'s first name')
    trainer_birthdate = fields.Date(string='Trainer\'s birth date')
    trainer_check = fields.Selection(
        TRAINER_CHECKS,
        string='Trainer check',
        readonly=True,
        copy=False,
        help='Outcome of the last check of the trainer.',
    )
    trainer_check_message = fields.Char(
        compute='_compute_trainer_check_message',
        string='Trainer check result',
    )
    trainer_id = fields.Many2one(
        'res.partner',
        string='Trainer',
        readonly=True,
        copy=False,
        index=True,
        ondelete='restrict',
        track_visibility='onchange',
        help='Set by the trainer check: a person with the trainer role '
             'who holds a qualification for the scheme valid on the end '
             'date.',
    )

    @api.depends('trainer_check', 'trainer_id')
    def _compute_trainer_check_message(self):
        for session in self:
            session.trainer_check_message = session._trainer_check_text(
                session.trainer_check, session.trainer_id)

    @api.model
    def _trainer_check_reset(self, vals):
        """``vals``, with the outcome of the check cleared when they change
        how the trainer is looked for or what they are checked against:
        the trainer is to check again."""
        if (TRAINER_SEARCH_FIELDS | TRAINER_CHECKED_FIELDS).intersection(
                vals):
            return dict(vals, trainer_check=False, trainer_id=False)
        return vals

    @api.multi
    def _find_trainer_people(self):
        """The people matching the trainer's national number, or else
        their last name, first name and birth date (any contact: the
        trainer may belong to another organisation)."""
        self.ensure_one()
        Partner = self.env['res.partner'].sudo()
        number = re.sub(r'\s', '', self.trainer_national_number or '')
        if number:
            return Partner.search(
                [('training_national_number', '=', number)])
        if self.trainer_lastname and self.trainer_firstname and \
                self.trainer_birthdate:
            return self._find_trainer_by_names(Partner)
        raise UserError(_(
            'Give the trainer\'s national number, or their last name, first '
            'name and birth date.'))

    @api.multi
    def _find_trainer_by_names(self, Partner):
        """The ``Partner`` records born on the trainer's birth date whose
        last and first names are the trainer's, case and accents aside:
        compared by unaccent() in the database when Odoo uses it, else
        folded here, among the people born that day."""
        self.ensure_one()
        domain = [('birthdate_date', '=', self.trainer_birthdate)]
        if self.pool.has_unaccent:
            # =ilike compares unaccent() of both sides
            return Partner.search(domain + [
                ('lastname', '=ilike', _literal(self.trainer_lastname)),
                ('firstname', '=ilike', _literal(self.trainer_firstname))])
        names = (_fold(self.trainer_lastname), _fold(self.trainer_firstname))
        return Partner.search(domain).filtered(lambda partner: (
            _fold(partner.lastname), _fold(partner.firstname)) == names)

    @api.multi
    def _trainer_check_code(self, people):
        """The first check ``people`` fails, in order: the person exists
        (only one), has the trainer role, holds a qualification for the
        scheme, valid on the end date; 'ok' when all pass."""
        self.ensure_one()
        if not people:
            return 'not_found'
        if len(people) > 1:
            return 'ambiguous'
        trainer_group = self.env.ref(TRAINER_GROUP)
        if not self.env['res.users'].sudo().search_count([
                ('partner_id', '=', people.id),
                ('groups_id', 'in', trainer_group.ids)]):
            return 'not_trainer'
        qualifications = self.env['training.trainer.qualification'].sudo(
        ).search([('trainer_id', '=', people.id),
                  ('scheme_id', '=', self.scheme_id.id)])
        if not qualifications:
            return 'not_qualified'
        if not qualifications.filtered(
                lambda qual: qual.is_valid_on(self.date_end)):
            return 'qualification_expired'
        return 'ok'

    @api.model
    def _trainer_check_text(self, code, trainer):
        if not code:
            return False
        if code == 'ok':
            return _('%s has the trainer role and a qualification for this '
                     'scheme valid on the end date.') % trainer.name
        return {
            'not_found': _(
                'Nobody matches: check the national number, or the last '
                'name, first name and birth date.'),
            'ambiguous': _(
                'Several people match: give the trainer\'s national number '
                'instead.'),
            'not_trainer': _(
                'This person does not have the trainer role.'),
            'not_qualified': _(
                'This trainer holds no qualification for this scheme.'),
            'qualification_expired': _(
                'This trainer\'s qualification for this scheme is not valid '
                'on the end date of the session.'),
        }[code]

    @api.multi
    def action_check_trainer(self):
        """Look for the trainer and record the outcome of the checks; the
        session's trainer is set only when every check passes."""
        self._check_entity_can_edit()
        for session in self:
            people = session._find_trainer_people()
            code = session._trainer_check_code(people)
            previous = session.trainer_id
            session._write_workflow({
                'trainer_check': code,
                'trainer_id': people.id if code == 'ok' else False})
            if previous and previous != session.trainer_id:
                # a replaced trainer hears no more of the session
                session.sudo().message_unsubscribe(partner_ids=previous.ids)
        return True

    @api.multi
    def _check_trainer_qualified(self):
        """The trainer must still pass every check (the qualification may
        have changed since the trainer was checked)."""
        for session in self:
            if not session.trainer_id:
                raise UserError(_(
                    'Check the trainer of %s first.') % session.name)
            code = session._trainer_check_code(session.trainer_id)
            if code != 'ok':
                raise UserError(session._trainer_check_text(
                    code, session.trainer_id))
