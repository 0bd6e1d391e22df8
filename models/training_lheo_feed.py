# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import os
from collections import OrderedDict

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .lheo import INFO_SESSION_RECRUITMENT, date_text, element, \
    schema as lheo_schema
from .training_info_session import ZIP_RE, format_time
from .training_registration import format_hours

_logger = logging.getLogger(__name__)

FEED_FILENAME = 'offre-formation-lheo.xml'
# street types as written in an address, when not the selection key
STREET_TYPES = {'allee': 'allée'}


class TrainingLheoFeed(models.AbstractModel):
    """The offer of published sessions validated by the funder, in the LHEO
    2.3 format of the regional catalogues (CARIF): one ``formation`` per
    course and responsible organisation, one ``action`` and one ``session``
    per session, information sessions as ``recrutement`` and
    ``date-information``. The feed holds the sessions that have the data
    the schema requires; the others are left out and listed with what to
    fill, session by session."""
    _name = 'training.lheo.feed'
    _description = 'LHEO catalogue feed'

    # ------------------------------------------------------------ selection
    @api.model
    def _feed_domain(self, company):
        return [('company_id', '=', company.id),
                ('publication_state', '=', 'published'),
                ('is_validated', '=', True),
                ('state', '!=', 'cancelled'),
                ('seats', '>', 0)]

    @api.model
    def feed_sessions(self, company):
        return self.env['training.session'].search(
            self._feed_domain(company), order='course_id, code')

    # --------------------------------------------------------------- checks
    @api.model
    def check_sessions(self, sessions):
        """{session: [what to fill]} for the sessions the schema would
        refuse, in the order of ``sessions``."""
        problems = OrderedDict()
        for session in sessions:
            messages = self._session_problems(session)
            if messages:
                problems[session] = messages
        return problems

    @api.model
    def _session_problems(self, session):
        messages = []
        if not session.date_start or not session.date_end:
            messages.append(_('The session has no dates.'))
        course = session.course_id
        if not course and session.component_id:
            # a session validated by a change request takes it from there
            messages.append(_(
                'No course: set the catalogue course of the action '
                '%(action)s or of its component %(component)s.') % {
                    'action': session.action_id.display_name,
                    'component': session.component_id.display_name})
        elif not course:
            messages.append(_('No course: the catalogue takes the objectives, '
                              'content and target audience from it.'))
        else:
            for value, label, size in (
                    (course.objectives, _('objectives'), 3000),
                    (html2plaintext(course.description or ''),
                     _('description (content)'), 3000),
                    (course.expected_results, _('expected results'), 3000),
                    (course.public_codes, _('target audience codes'), 100)):
                messages += self._text_problems(
                    value, _('Course %(course)s: %(field)s') % {
                        'course': course.name, 'field': label}, size)
        responsible = self._responsible(session)
        if responsible == session.action_id.holder_id:
            label = _('Responsible organisation %(organisation)s (holder of '
                      'the action %(action)s)') % {
                          'organisation': responsible.name,
                          'action': session.action_id.display_name}
        else:
            label = _('Responsible organisation %s') % responsible.name
        messages += self._organisation_problems(
            responsible, label, activity=True)
        organisation = session.organisation_id
        if organisation and organisation != responsible:
            messages += self._organisation_problems(
                organisation, _('Training organisation %s')
                % organisation.name)
        if not session.place_id:
            messages.append(_('No session place.'))
        else:
            messages += self._address_problems(
                session.place_id,
                _('Session place %s') % session.place_id.name)
        contact = self._contact(session)
        if not contact:
            messages.append(_('No responsible: the catalogue shows the '
                              'responsible of the session as its contact.'))
        elif not (contact.email or contact.phone):
            messages.append(_('Contact %s: e-mail or phone missing.')
                            % contact.name)
        for info in session.info_session_ids:
            if len(info.public_comment or '') > 500:
                messages.append(_(
                    'Information session of %s: the public comment is longer '
                    'than 500 characters.') % info.display_name)
        return messages

    @api.model
    def _text_problems(self, value, label, size):
        value = (value or '').strip()
        if not value:
            return [_('%s missing.') % label]
        if len(value) > size:
            return [_('%(field)s: longer than %(size)d characters.') % {
                'field': label, 'size': size}]
        return []

    @api.model
    def _organisation_problems(self, partner, label, activity=False):
        messages = []
        if not partner.siret:
            messages.append(_('%s: SIRET number missing.') % label)
        if activity and not partner.training_activity_number:
            messages.append(_('%s: training activity number missing.')
                            % label)
        return messages + self._address_problems(partner, label)

    @api.model
    def _address_problems(self, partner, label):
        messages = []
        if not (partner.street or partner.street2):
            messages.append(_('%s: street missing.') % label)
        if not partner.zip or not ZIP_RE.match(partner.zip):
            messages.append(_('%s: postal code of 5 digits missing.') % label)
        if not partner.city:
            messages.append(_('%s: city missing.') % label)
        if any(len(line or '') > 50 for line in (
                partner.street, partner.street2, partner.city)):
            messages.append(_('%s: address lines and city have at most 50 '
                              'characters.') % label)
        return messages

    # ---------------------------------------------------------------- parts
    @api.model
    def _responsible(self, session):
        """The organisation responsible for the offer: the holder of the
        funded action, else the training organisation, else the company."""
        return session.action_id.holder_id or session.organisation_id or \
            session.company_id.partner_id

    @api.model
    def _contact(self, session):
        user = session.user_id or session.course_id.user_id
        return user.partner_id

    # ---------------------------------------------------------------- build
    @api.model
    def render(self, sessions):
        """(feed of the complete sessions as bytes, {session: [what to
        fill]} of the sessions left out); the feed is None when no session
        is complete. What is handed out always validates against the LHEO
        2.3 schema: a session the schema refuses in spite of the checks is
        left out too."""
        if not sessions:
            raise UserError(_(
                'No session to export: the feed holds the published sessions '
                'validated by the funder, with seats.'))
        problems = self.check_sessions(sessions)
        complete = sessions.filtered(lambda session: session not in problems)
        if not complete:
            return None, problems
        root = self._build(complete)
        schema = lheo_schema()
        if not schema.validate(root):
            # our checks missed something: find the sessions the schema
            # refuses on their own (this only costs when it happens)
            for session in complete:
                if not schema.validate(self._build(session)):
                    problems[session] = [_(
                        'The LHEO 2.3 schema refuses the session: %s'
                    ) % schema.error_log.last_error.message]
            complete = complete.filtered(
                lambda session: session not in problems)
            if not complete:
                return None, problems
            root = self._build(complete)
            if not schema.validate(root):
                # never hand out such a file
                raise UserError(_(
                    'The feed does not validate against the LHEO 2.3 '
                    'schema: %s') % schema.error_log.last_error)
        return etree.tostring(root, xml_declaration=True, encoding='UTF-8',
                              pretty_print=True), problems

    @api.model
    def _build(self, sessions):
        groups = OrderedDict()
        for session in sessions:
            key = (session.course_id, self._responsible(session))
            groups.setdefault(key, self.env['training.session'])
            groups[key] |= session
        return element('lheo', element('offres', [
            self._formation(course, responsible, group)
            for (course, responsible), group in groups.items()]))

    @api.model
    def _formation(self, course, responsible, sessions):
        contact = self._contact(sessions[0])
        return element(
            'formation',
            element('domaine-formation', course.formacode and element(
                'code-FORMACODE', course.formacode, tag='principal')),
            element('intitule-formation', course.name[:255]),
            element('objectif-formation', course.objectives.strip()),
            element('resultats-attendus', course.expected_results.strip()),
            element('contenu-formation',
                    html2plaintext(course.description).strip()),
            element('certifiante', '1' if course.certification_id else '0'),
            element('contact-formation', self._coordinates(contact)),
            element('parcours-de-formation', course.lheo_pathway),
            # 0: not communicated
            element('code-niveau-entree', '0'),
            [self._action(session) for session in sessions],
            self._responsible_organisation(responsible, contact),
            numero=course.code or 'F%d' % course.id,
        )

    @api.model
    def _action(self, session):
        infos = session.info_session_ids.filtered('seats').sorted('date')
        with_address = infos.filtered(
            lambda info: self._info_address(info) is not None)
        organisation = session.organisation_id
        funder = session.action_id.funder_code
        return element(
            'action',
            element('rythme-formation', self._rhythm(session)),
            [element('code-public-vise', code)
             for code in session.course_id.public_code_list()],
            element('niveau-entree-obligatoire', '0'),
            element('modalites-alternance', _('No work-study alternation.')),
            element('modalites-enseignement', self._teaching_mode(session)),
            element('conditions-specifiques',
                    (session.course_id.prerequisites or '').strip()[:3000] or
                    _('None.')),
            element('prise-en-charge-frais-possible',
                    '1' if session.component_id else '0'),
            element('lieu-de-formation', element(
                'coordonnees', self._address(session.place_id))),
            # 0: fixed entry and exit dates
            element('modalites-entrees-sorties', '0'),
            self._session(session, infos),
            element('adresse-information', self._info_address(
                with_address[0])) if with_address else None,
            [element('date-information', element(
                'date', date_text(fields.Date.from_string(info.date))))
             for info in infos[:3]],
            session.duration_hours >= 1 and element(
                'nombre-heures-total',
                str(int(round(session.duration_hours)))),
            element('conventionnement', '1' if session.component_id else '0'),
            element(
                'organisme-formateur',
                element('SIRET-formateur', element('SIRET',
                                                   organisation.siret)),
                element('raison-sociale-formateur', organisation.name[:250]),
            ) if organisation else None,
            funder and element(
                'organisme-financeur',
                element('code-financeur', funder),
                element('nb-places-financees', str(session.seats))),
            numero=session.code,
        )

    @api.model
    def _session(self, session, infos):
        registration = session.organisation_id or session.place_id
        contact = self._contact(session)
        return element(
            'session',
            element('periode',
                    element('debut', date_text(session._local(
                         session.date_start))),
                    element('fin', date_text(session._local(
                         session.date_end)))),
            element('adresse-inscription', self._address(registration)),
            # 1: open
            element('etat-recrutement', '1'),
            [self._recruitment(info) for info in infos],
            element('contact-session', self._coordinates(contact)),
            numero=session.external_ref or session.code,
        )

    @api.model
    def _recruitment(self, info):
        day = date_text(fields.Date.from_string(info.date))
        comment = (info.public_comment or '').strip()
        return element(
            'recrutement',
            element('modalite-recrutement', INFO_SESSION_RECRUITMENT),
            self._info_address(info),
            element('nb-places', str(info.seats)),
            element('periode', element('debut', day), element('fin', day)),
            element('heure-debut', format_time(info.time_start)),
            element('heure-fin', format_time(info.time_end)),
            comment and element('commentaire', comment),
        )

    @api.model
    def _rhythm(self, session):
        start = session._local(session.date_start).strftime('%d/%m/%Y')
        end = session._local(session.date_end).strftime('%d/%m/%Y')
        if session.duration_hours:
            return _('%(hours)s hours, from %(start)s to %(end)s.') % {
                'hours': format_hours(session.duration_hours),
                'start': start, 'end': end}
        return _('From %(start)s to %(end)s.') % {'start': start, 'end': end}

    @api.model
    def _teaching_mode(self, session):
        """0: face-to-face only, 2: distance only, 1: both."""
        modalities = set(session.sequence_ids.filtered(
            lambda sequence: not sequence.is_prework).mapped(
            'teaching_modality'))
        if modalities <= {'face_to_face'}:
            return '0'
        if 'face_to_face' in modalities or 'blended' in modalities:
            return '1'
        return '2'

    @api.model
    def _address(self, partner):
        return element(
            'adresse',
            element('denomination', partner.name[:255]),
            [element('ligne', line) for line in (
                partner.street, partner.street2) if line],
            element('codepostal', partner.zip),
            element('ville', partner.city),
            partner.zip and element('departement', partner.zip[:2]),
            element('pays', partner.country_id.code or 'FR'),
        )

    @api.model
    def _info_address(self, info):
        """The ``adresse`` of an information session, None when it has
        none."""
        street = ' '.join(filter(None, (
            info.street_number, info.street_number_ext,
            STREET_TYPES.get(info.street_type, info.street_type),
            info.street_name)))
        lines = [line[:50] for line in (
            street, info.building, info.special_mention) if line]
        if not (lines and info.zip and info.city):
            return None
        city = ' '.join(filter(None, (
            info.city, info.cedex and 'CEDEX %s' % info.cedex)))
        return element(
            'adresse',
            [element('ligne', line) for line in lines],
            element('codepostal', info.zip),
            element('ville', city[:50]),
        )

    @api.model
    def _coordinates(self, partner):
        return element(
            'coordonnees',
            element('nom', partner.name[:50]),
            partner.phone and element('telfixe', element(
                'numtel', partner.phone[:25])),
            partner.mobile and element('portable', element(
                'numtel', partner.mobile[:25])),
            partner.email and element('courriel', partner.email[:160]),
        )

    @api.model
    def _responsible_organisation(self, partner, contact):
        return element(
            'organisme-formation-responsable',
            element('numero-activite', partner.training_activity_number),
            element('SIRET-organisme-formation', element(
                'SIRET', partner.siret)),
            element('nom-organisme', partner.name[:250]),
            element('raison-sociale', partner.name[:250]),
            element('coordonnees-organisme', element(
                'coordonnees', self._address(partner),
                partner.phone and element('telfixe', element(
                    'numtel', partner.phone[:25])),
                partner.email and element('courriel', partner.email[:160]))),
            element('contact-organisme', self._coordinates(contact)),
        )

    # ----------------------------------------------------------------- cron
    @api.model
    def _cron_write_feeds(self):
        """Write the current feed of each company that has a feed folder
        and record the outcome on the company. Each company runs in its
        own savepoint: one that fails leaves nothing behind in the
        database and never stops the others (the scheduler commits the
        run when it ends)."""
        companies = self.env['res.company'].search(
            [('lheo_feed_folder', '!=', False)])
        for company in companies:
            try:
                with self.env.cr.savepoint(), self.env.clear_upon_failure():
                    values = self._write_feed(company)
            except Exception as error:  # one company never stops the others
                _logger.exception('LHEO feed of %s failed', company.name)
                values = {'lheo_feed_date': fields.Datetime.now(),
                          'lheo_feed_status': _('The feed failed: %s')
                          % error}
            company.write(values)

    @api.model
    def _write_feed(self, company):
        """Company values recording the outcome of writing its feed: the
        complete sessions are written, those left out are listed with what
        they lack; when none is complete, the previous file stays."""
        sessions = self.feed_sessions(company)
        now = fields.Datetime.now()
        try:
            data, problems = self.render(sessions)
        except UserError as error:
            return {'lheo_feed_date': now, 'lheo_feed_status': error.name}
        if data is None:
            _logger.warning('LHEO feed of %s not written: none of its %d '
                            'sessions is complete', company.name,
                            len(problems))
            return {'lheo_feed_date': now, 'lheo_feed_status': '%s\n%s' % (
                _('No file written, the previous one stays: none of the %d '
                  'sessions has the data the catalogue requires:')
                % len(problems), self.problems_text(problems))}
        path = os.path.join(company.lheo_feed_folder, FEED_FILENAME)
        try:
            os.makedirs(company.lheo_feed_folder, exist_ok=True)
            with open(path + '.tmp', 'wb') as feed:
                feed.write(data)
            os.replace(path + '.tmp', path)  # readers never see half a file
        except OSError as error:
            _logger.exception('LHEO feed of %s not written', company.name)
            return {'lheo_feed_date': now, 'lheo_feed_status': _(
                'The feed could not be written to %(path)s: %(error)s') % {
                    'path': path, 'error': error}}
        written = len(sessions) - len(problems)
        if not problems:
            return {'lheo_feed_date': now, 'lheo_feed_status': _(
                '%(written)d sessions written to %(path)s.') % {
                    'written': written, 'path': path}}
        _logger.warning('LHEO feed of %s: %d sessions left out, data '
                        'missing', company.name, len(problems))
        return {'lheo_feed_date': now, 'lheo_feed_status': '%s\n%s' % (
            _('%(written)d sessions written to %(path)s; %(left_out)d '
              'sessions left out, data missing:') % {
                'written': written, 'path': path,
                'left_out': len(problems)},
            self.problems_text(problems))}

    @api.model
    def problems_text(self, problems):
        return '\n'.join(
            '%s %s:\n%s' % (session.code, session.name, '\n'.join(
                '  - %s' % message for message in messages))
            for session, messages in problems.items())
