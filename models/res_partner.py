# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import re
import unicodedata

import phonenumbers
from stdnum.fr import siret as stdnum_siret

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .training_registration import TRAINING_USER_GROUP, TUTOR_GROUP

ACTIVITY_NUMBER_RE = re.compile(r'^\d{11}$')
PHONE_FIELDS = ('phone', 'mobile')
# what a trainee changes of their own data on the portal (manual 004)
# what a tutor completes on a trainee's record (manual 004, 8)
CONTACT_FIELDS = ('email', 'phone', 'mobile')
PORTAL_FIELDS = ('lastname', 'firstname', 'email', 'phone', 'mobile',
                 'street', 'street2', 'zip', 'city')
EMAIL_RE = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
# trainee records: what the manual 004 requires, and how names are written
TRAINEE_REQUIRED = ('title', 'lastname', 'firstname')


def normalise_phone(number):
    """A French number as '06 12 34 56 78', another country's in the
    international format; None when it is not a valid phone number."""
    try:
        parsed = phonenumbers.parse(number, 'FR')
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    if phonenumbers.region_code_for_number(parsed) == 'FR':
        return phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_firstname(name):
    """'jean-PIERRE  marie' -> 'Jean-Pierre Marie'."""
    words = ' '.join(name.split()).lower()
    return re.sub(r"(^|[\s'-])(\w)",
                  lambda match: match.group(1) + match.group(2).upper(),
                  words)


class ResPartner(models.Model):
    _inherit = 'res.partner'

    # same name and size as in l10n_fr, so that both modules can be installed
    siret = fields.Char(string='SIRET', size=14)
    training_activity_number = fields.Char(
        string='Training activity number',
        size=11,
        help='Number of the declaration of activity of a training '
             'organisation ("numéro de déclaration d\'activité"), 11 digits.',
    )

    is_trainee = fields.Boolean(
        string='Trainee',
        help='A trainee record: civility, last name and first name are '
             'required, names and phone numbers are normalised.',
    )
    lastname = fields.Char(string='Last name')
    firstname = fields.Char(string='First name')
    directory_consent = fields.Boolean(
        string='Published in the directory',
        default=True,
        help='The trainee agrees that their contact details appear in the '
             'directory of the trainees\' site.',
    )
    education = fields.Text(
        string='Studies',
        help='The trainee\'s studies and diplomas.',
    )
    registration_ids = fields.One2many(
        'training.registration',
        'partner_id',
        string='Training sessions',
    )
    # certification (manual 003)
    training_national_number = fields.Char(
        string='National number',
        copy=False,
        index=True,
        help='Number of the person in the national certification '
             'register; identifies a trainer on a certification session.',
    )
    # the name of OCA's partner_contact_birthdate, so both can be installed
    birthdate_date = fields.Date(string='Birth date')
    is_teaching_platform = fields.Boolean(
        string='Teaching platform',
        help='An address of the entity declared as a teaching platform: '
             'sessions of schemes that require one take place there.',
    )
    habilitation_ids = fields.One2many(
        'training.habilitation',
        'entity_id',
        string='Habilitations',
    )
    teaching_platform_ids = fields.One2many(
        'res.partner',
        'parent_id',
        string='Teaching platforms',
        domain=[('is_teaching_platform', '=', True)],
    )
    trainer_qualification_ids = fields.One2many(
        'training.trainer.qualification',
        'trainer_id',
        string='Trainer qualifications',
    )
    # what the certification entities' rule on contacts goes through
    certification_trainer_session_ids = fields.One2many(
        'training.certification.session',
        'trainer_id',
        string='Certification sessions as trainer',
    )

    _sql_constraints = [
        ('training_national_number_unique',
         'UNIQUE (training_national_number)',
         'Another person has this national number.'),
    ]

    @api.constrains(*TRAINEE_REQUIRED + ('is_trainee',))
    def _check_trainee_record(self):
        for partner in self.filtered('is_trainee'):
            missing = [partner._fields[name].get_description(
                self.env)['string'] for name in TRAINEE_REQUIRED
                if not partner[name]]
            if missing:
                raise ValidationError(_(
                    'Trainee %(trainee)s: %(fields)s required.') % {
                        'trainee': partner.name,
                        'fields': ', '.join(missing)})

    @api.constrains('siret')
    def _check_siret(self):
        for partner in self:
            problem = self._siret_problem(partner.name, partner.siret)
            if problem:
                raise ValidationError(problem)

    @api.model
    def _siret_problem(self, name, siret):
        """Why ``siret``, the SIRET number of ``name``, is refused; None
        when it is valid or empty (also checked by the import's preview)."""
        if siret and not stdnum_siret.is_valid(siret):
            return _('%(partner)s: the SIRET number %(siret)s is not valid '
                     '(14 digits with a valid check digit).') % {
                         'partner': name, 'siret': siret}
        return None

    @api.constrains('training_activity_number')
    def _check_training_activity_number(self):
        for partner in self.filtered('training_activity_number'):
            if not ACTIVITY_NUMBER_RE.match(partner.training_activity_number):
                raise ValidationError(_(
                    '%s: the training activity number must have 11 digits.'
                ) % partner.name)

    # ------------------------------------------------------ welcome sheet
    @api.multi
    def _tutored(self):
        """Those of these partners registered in a session the user is a
        tutor of."""
        return self.env['training.registration'].sudo().search([
            ('partner_id', 'in', self.ids),
            ('session_id.tutor_ids', 'in', self.env.user.partner_id.ids),
        ]).mapped('partner_id')

    @api.multi
    def _check_welcome_sheet_rights(self):
        user = self.env.user
        if user.has_group(TRAINING_USER_GROUP):
            return
        if user.has_group(TUTOR_GROUP) and not self - self._tutored():
            return
        raise AccessError(_('Only training users, and the tutors of their '
                            'sessions, print the welcome sheets of '
                            'trainees.'))

    @api.multi
    def action_welcome_sheet(self):
        """Print the welcome sheet of the trainees: their portal login, and
        for those who never logged in a link to choose their password (valid
        30 days). A portal user is created for the trainees who have none;
        no password is ever printed. Only for trainee records, by training
        users and the tutors of their sessions (manual 004, 7), and never
        for a person with back-office access."""
        self._prepare_welcome_sheets()
        return self.env.ref(
            'training_session.action_report_welcome_sheet').report_action(self)

    @api.multi
    def _prepare_welcome_sheets(self):
        """What the welcome sheets print, after the caller's rights: a
        portal user for each trainee, a sign-up link for those who never
        logged in."""
        self._check_welcome_sheet_rights()
        # checked: as superuser, portal tutors read no contact
        partners = self.sudo()
        refused = partners.filtered(lambda partner: not partner.is_trainee or
                                    any(not user.share
                                        for user in partner.user_ids))
        if refused:
            raise UserError(_(
                'A welcome sheet is only for trainees with no back-office '
                'access: %s.') % ', '.join(refused.mapped('name')))
        partners._ensure_trainee_portal_users()
        partners.filtered(
            lambda partner: not partner.user_ids[:1].login_date
        ).signup_prepare(
            signup_type='signup', expiration=fields.Datetime.to_string(
                datetime.datetime.now() + datetime.timedelta(days=30)))
        return True

    @api.multi
    def _ensure_trainee_portal_users(self):
        Users = self.env['res.users'].sudo().with_context(
            no_reset_password=True)
        groups = [self.env.ref('base.group_portal').id,
                  self.env.ref('training_session.'
                               'group_training_session_trainee').id]
        for partner in self.filtered(lambda partner: not partner.user_ids):
            Users.create({'partner_id': partner.id,
                          'login': partner._free_login(),
                          'groups_id': [(6, 0, groups)]})

    @api.multi
    def _free_login(self):
        """The e-mail, else first.last in ASCII, made unique."""
        self.ensure_one()
        base = self.email or '.'.join(filter(None, (
            self.firstname, self.lastname))) or self.name
        base = unicodedata.normalize('NFKD', base).encode(
            'ascii', 'ignore').decode().lower().replace(' ', '.')
        Users = self.env['res.users'].sudo().with_context(active_test=False)
        login, index = base, 1
        while Users.search_count([('login', '=', login)]):
            index += 1
            login = '%s%d' % (base, index)
        return login

    @api.multi
    def welcome_login(self):
        """(login, link to choose a password or False) for the sheet."""
        self.ensure_one()
        user = self.sudo().user_ids[:1]
        link = user and not user.login_date and self.sudo().signup_valid \
            and self.sudo().signup_url
        return user.login, link or False

    @api.model
    def _normalise_numbers(self, vals):
        for name in ('siret', 'training_national_number'):
            if vals.get(name):
                vals[name] = re.sub(r'\s', '', vals[name])
        return vals

    @api.multi
    def _normalise_trainee(self, vals):
        """``vals`` with the names in their case (LAST NAME, First Name),
        the name made of them and the phone numbers as ## ## ## ## ##, for
        trainee records; a clear error for an invalid phone number."""
        # read the records only when the values do not say (a portal tutor
        # completing a trainee's contact reads no contact)
        if 'is_trainee' in vals:
            is_trainee = vals['is_trainee']
        else:
            is_trainee = all(self.mapped('is_trainee')) if self else False
        if not is_trainee:
            return vals
        vals = dict(vals)
        if vals.get('lastname'):
            vals['lastname'] = ' '.join(vals['lastname'].split()).upper()
        if vals.get('firstname'):
            vals['firstname'] = normalise_firstname(vals['firstname'])
        for name in PHONE_FIELDS:
            if vals.get(name):
                number = normalise_phone(vals[name])
                if not number:
                    raise ValidationError(_(
                        '"%s" is not a valid phone number: expected a French '
                        'number such as 06 12 34 56 78, or an international '
                        'number starting with +.') % vals[name])
                vals[name] = number
        if 'lastname' in vals or 'firstname' in vals:
            for partner in self or [self.browse()]:
                lastname = vals.get('lastname', partner.lastname)
                firstname = vals.get('firstname', partner.firstname)
                if lastname or firstname:
                    vals['name'] = ' '.join(filter(None, (lastname,
                                                          firstname)))
        return vals

    @api.multi
    def portal_update_personal_data(self, values):
        """The user's own personal data, from the portal (manual 004):
        only the fields of the form, with the back office's validation
        (names required, phone numbers checked and formatted), saved at
        once."""
        self.ensure_one()
        if self != self.env.user.partner_id:
            raise AccessError(_('You can only change your own personal '
                                'data.'))
        vals = self._checked_personal_values(values, PORTAL_FIELDS)
        # portal users may not write contacts: this method is the door
        return self.sudo().write(vals)

    @api.multi
    def _checked_personal_values(self, values, names):
        """The values of the fields ``names`` in ``values``, stripped, with
        the back office's checks (names required, e-mail format) and the
        trainees' formats (names, phone numbers), whatever the record
        says."""
        vals = {name: (values.get(name) or '').strip() or False
                for name in names if name in values}
        if vals.get('email') and not EMAIL_RE.match(vals['email']):
            raise ValidationError(_('"%s" is not a valid e-mail address.')
                                  % vals['email'])
        for name in ('lastname', 'firstname'):
            if name in vals and not vals[name]:
                raise ValidationError(_('%s is required.') % self._fields[
                    name].get_description(self.env)['string'])
        vals = self._normalise_trainee(dict(vals, is_trainee=True))
        vals.pop('is_trainee')
        return vals

    @api.multi
    def _check_contact_completer(self):
        """AccessError unless the user is a training user or a tutor of
        a session of this trainee."""
        self.ensure_one()
        if not self.env.user.has_group(TRAINING_USER_GROUP) and \
                not self._tutored():
            raise AccessError(_('Only the tutors of their sessions complete '
                                'the contact details of a trainee.'))

    @api.multi
    def tutor_update_contact(self, values):
        """A tutor completes the e-mail and phone numbers of a trainee of
        one of their sessions (manual 004, 8), with the back office's
        checks; as superuser, since tutors only read contacts."""
        self.ensure_one()
        self._check_contact_completer()
        return self.sudo().write(self._checked_personal_values(
            values, CONTACT_FIELDS))

    @api.model
    def create(self, vals):
        vals = self._normalise_trainee(self._normalise_numbers(vals))
        return super(ResPartner, self).create(vals)

    @api.multi
    def write(self, vals):
        if self and ('lastname' in vals or 'firstname' in vals) and \
                len(self) > 1:
            # each record gets the name made of its own names
            for partner in self:
                partner.write(vals)
            return True
        vals = self._normalise_trainee(self._normalise_numbers(vals))
        return super(ResPartner, self).write(vals)
