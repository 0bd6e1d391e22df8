# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..models.training_certification_session import DELEGATE_GROUP
from .portal import TrainingPortal

SESSION_MODEL = 'training.certification.session'
CANDIDATE_MODEL = 'training.certification.candidate'
# the tabs of a session's page, as in manual 003
TABS = ('session', 'trainer', 'candidates', 'downloads')
# step 1 on the portal: what the entity enters on the Session tab
SESSION_FORM = ('scheme_id', 'certificate_type_id', 'platform_id',
                'place_zip', 'place_city', 'training_kind', 'date_end')
TRAINER_FORM = ('trainer_national_number', 'trainer_lastname',
                'trainer_firstname', 'trainer_birthdate')
CANDIDATE_FORM = ('lastname', 'firstname', 'birthdate', 'email',
                  'national_number')
# required on the portal forms (the database refuses them empty)
SESSION_REQUIRED = ('scheme_id', 'certificate_type_id', 'place_zip',
                    'place_city', 'training_kind', 'date_end')
CANDIDATE_REQUIRED = ('lastname', 'firstname', 'birthdate')
# sessions in the entity's hands, and those with the trainer or done
TO_PROCESS = ('draft', 'entity_validation')


class TrainingCertificationPortal(TrainingPortal):
    """The certification entity's side of manual 003 on the portal: its
    delegates and managers (portal users) list their sessions, enter them
    (step 1), then modify them or generate and download the certificates
    (step 3); "Mon entité" shows the entity's habilitations and teaching
    platforms. Everything is done as the user, so the record rules and the
    model's checks apply; the pages are rendered with sudo only after the
    record was read as the user. Trainers keep their pages (step 2)."""

    @staticmethod
    def _is_entity_user():
        user = request.env.user
        return user.has_group(DELEGATE_GROUP) and \
            bool(user.certification_entity_id)

    @classmethod
    def _certification_domain(cls):
        """Entity users: every session their rules let them read (a
        delegate's, their entity's for a manager); trainers: theirs."""
        if cls._is_entity_user():
            return []
        return super(TrainingCertificationPortal,
                     cls)._certification_domain()

    def _prepare_portal_layout_values(self):
        values = super(TrainingCertificationPortal,
                       self)._prepare_portal_layout_values()
        values['training_is_entity'] = self._is_entity_user()
        return values

    # ------------------------------------------------------------- list
    @http.route('/my/training/certifications', type='http', auth='user',
                website=True)
    def portal_my_certifications(self, **kw):
        """Entity users: the sessions to process (being entered, results
        back from the trainer) and those in progress (with the trainer,
        certificates generated); delegates see those they declared,
        managers all of the entity's (record rules)."""
        if not self._is_entity_user():
            return super(TrainingCertificationPortal,
                         self).portal_my_certifications(**kw)
        values = self._prepare_portal_layout_values()
        sessions = request.env[SESSION_MODEL].search(
            self._certification_domain())
        values.update({
            'page_name': 'training_certifications',
            'to_process': sessions.filtered(
                lambda session: session.state in TO_PROCESS).sudo(),
            'in_progress': sessions.filtered(
                lambda session: session.state not in TO_PROCESS).sudo(),
        })
        return request.render(
            'training_session.portal_entity_certifications', values)

    # --------------------------------------------------------- new one
    @http.route('/my/training/certification/new', type='http',
                auth='user', website=True, methods=['GET', 'POST'])
    def portal_certification_new(self, **post):
        """Step 1 begins: the Session tab of a new session."""
        if not self._is_entity_user():
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_certification', 'error': False,
                       'saved': False, 'tab': 'session'})
        Session = request.env[SESSION_MODEL]
        form = {name: post.get(name, '') for name in SESSION_FORM}
        if request.httprequest.method == 'POST':
            created = []

            def create():
                created.append(Session.create(
                    _session_values(Session, form, SESSION_REQUIRED)))

            self._save(values, create, '/')
            if created:
                return request.redirect(
                    '/my/training/certification/%d?tab=trainer'
                    % created[0].id)
        values.update(self._entity_choices(Session.browse(), form))
        values.update({'session': Session.sudo().browse(), 'form': form,
                       'can_edit': True})
        return request.render('training_session.portal_entity_certification',
                              values)

    # ------------------------------------------------------- a session
    @http.route('/my/training/certification/<int:session_id>', type='http',
                auth='user', website=True, methods=['GET', 'POST'])
    def portal_certification(self, session_id, **post):
        """Entity users: the session in tabs (Session, Formateur,
        Stagiaires, Téléchargements) and what the entity does at its step;
        trainers: their step (results)."""
        if not self._is_entity_user():
            return super(TrainingCertificationPortal,
                         self).portal_certification(session_id, **post)
        try:
            self._check_access(SESSION_MODEL, session_id)
        except AccessError:
            return request.redirect('/my/training/certifications')
        session = request.env[SESSION_MODEL].browse(session_id)
        tab = post.get('tab') if post.get('tab') in TABS else 'session'
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_certification', 'error': False,
                       'saved': bool(post.get('saved')), 'tab': tab})
        form = {name: _form_value(session, name) for name in SESSION_FORM}
        if request.httprequest.method == 'POST':
            action = post.get('action', '')
            if action == 'save_session':
                form.update({name: post.get(name, '')
                             for name in SESSION_FORM})
            answer = self._entity_action(session, action, post, values)
            if answer:
                return answer
        sudo = session.sudo()
        values.update(self._entity_choices(session, form))
        values.update({
            'session': sudo,
            'form': form,
            'can_edit': sudo.state == 'draft',
            'edit_candidate': sudo.candidate_ids.filtered(
                lambda cand: str(cand.id) == post.get('edit')),
            'generate_from': fields.Date.from_string(sudo.date_end),
            'can_generate_now': sudo.state == 'entity_validation' and
            session._today() >= fields.Date.from_string(sudo.date_end),
            'can_delete': not sudo.certificate_ids,
            'last_actor': sudo.write_uid.name,
        })
        return request.render('training_session.portal_entity_certification',
                              values)

    def _entity_action(self, session, action, post, values):
        """Run the entity's ``action`` on ``session`` (as the user): the
        redirect to the tab it belongs to when it passes; None, with the
        error in ``values``, when it is refused."""
        url = '/my/training/certification/%d?saved=1&tab=%%s' % session.id
        candidate = _own_candidate(session, post.get('candidate_id'))
        actions = {
            'save_session': ('session', lambda: session.write(_changed(
                session, _session_values(session, post, SESSION_REQUIRED)))),
            'check_trainer': ('trainer', lambda: _check_trainer(
                session, post)),
            'add_candidate': ('candidates', lambda: request.env[
                CANDIDATE_MODEL].create(dict(
                    _candidate_values(post), session_id=session.id))),
            'save_candidate': ('candidates', lambda: candidate.write(
                _candidate_values(post))),
            'remove_candidate': ('candidates', candidate.unlink),
            'submit': ('session', session.action_submit),
            'modify': ('session', session.action_modify),
            'generate': ('downloads', session.action_generate_certificates),
        }
        if action == 'delete':
            return self._save(values, session.unlink,
                              '/my/training/certifications')
        if action not in actions:
            return None
        tab, run = actions[action]
        values['tab'] = tab
        if action in ('save_candidate', 'remove_candidate') and \
                not candidate:
            values['error'] = _('This candidate is not of this session.')
            return None
        return self._save(values, run, url % tab)

    @staticmethod
    def _entity_choices(session, form):
        """What the Session tab offers: the schemes of the entity's
        habilitations valid on the end date (or still valid, before it is
        known), the certificates of the chosen scheme, the entity's
        teaching platforms."""
        entity = request.env.user.certification_entity_id
        Scheme = request.env['training.certification.scheme']
        day = form.get('date_end') or False
        today = fields.Date.to_string(
            request.env[SESSION_MODEL]._today())
        habilitations = request.env['training.habilitation'].sudo().search(
            [('entity_id', '=', entity.id)])
        schemes = habilitations.filtered(
            lambda hab: hab.is_valid_on(day) if day and _is_date(day)
            else not hab.date_to or hab.date_to >= today).mapped('scheme_id')
        scheme = Scheme.sudo().browse(_int(form.get('scheme_id'))) \
            & schemes
        return {
            'entity': entity.sudo(),
            'schemes': schemes,
            'certificate_types': scheme.certificate_type_ids if scheme
            else schemes.mapped('certificate_type_ids'),
            'platforms': entity.sudo().teaching_platform_ids,
            'training_kinds': session._fields['training_kind']
            ._description_selection(request.env),
        }

    # -------------------------------------------------------- downloads
    @http.route('/my/training/certification/<int:session_id>/certificates',
                type='http', auth='user', website=True)
    def portal_certification_certificates(self, session_id, **kw):
        """All the certificates of a session, in one PDF, for 15 days."""
        session = self._downloadable(session_id)
        if not session:
            return request.redirect('/my/training/certifications')
        sudo = session.sudo()
        return self._pdf_response(
            sudo.certificates_file,
            sudo.certificates_filename or '%s.pdf' % sudo.name)

    @http.route('/my/training/certification/<int:session_id>/certificate/'
                '<int:certificate_id>', type='http', auth='user',
                website=True)
    def portal_certification_certificate(self, session_id, certificate_id,
                                         **kw):
        """One certificate of a session, for 15 days."""
        session = self._downloadable(session_id)
        certificate = session.sudo().certificate_ids.filtered(
            lambda cert: cert.id == certificate_id) if session else None
        if not certificate:
            return request.redirect('/my/training/certifications')
        return self._pdf_response(
            certificate.pdf_file,
            certificate.pdf_filename or '%s.pdf' % certificate.name)

    def _downloadable(self, session_id):
        """The session ``session_id`` as the user, when it is theirs and its
        certificates are within their download window; else None."""
        if not self._is_entity_user():
            return None
        try:
            self._check_access(SESSION_MODEL, session_id)
            session = request.env[SESSION_MODEL].browse(session_id)
            session._check_download()
        except (AccessError, UserError):
            return None
        return session

    # -------------------------------------------------------- my entity
    @http.route('/my/training/entity', type='http', auth='user',
                website=True)
    def portal_my_entity(self, **kw):
        """"Mon entité": the entity's habilitations and teaching
        platforms, read-only."""
        if not self._is_entity_user():
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        entity = request.env.user.certification_entity_id
        values.update({
            'page_name': 'training_entity',
            'entity': entity.sudo(),
            'habilitations': request.env['training.habilitation'].search(
                [('entity_id', '=', entity.id)]).sudo(),
            'platforms': entity.sudo().teaching_platform_ids,
        })
        return request.render('training_session.portal_entity', values)


def _int(value):
    """``value`` (a form's) as an id, 0 when it is none."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _is_date(value):
    try:
        fields.Date.from_string(value)
    except (TypeError, ValueError):
        return False
    return True


def _date(value, label):
    """A form's date (YYYY-MM-DD, as a phone's date input sends it), or
    False; a clear error for anything else."""
    if not value:
        return False
    if not _is_date(value):
        raise UserError(_('%(field)s: "%(value)s" is not a date.') % {
            'field': label, 'value': value})
    return value


def _form_value(session, name):
    """The value of the field ``name`` of ``session`` as a form shows it."""
    value = session.sudo()[name]
    if hasattr(value, 'ids'):
        return str(value.id or '')
    return value or ''


def _check_missing(model, values, required):
    """A clear error naming the ``required`` fields of ``model`` left
    empty in ``values``."""
    missing = [model._fields[name].get_description(request.env)['string']
               for name in required if not values.get(name)]
    if missing:
        raise UserError(_('Fill in: %s.') % ', '.join(missing))


def _session_values(session, post, required):
    """The Session tab's values for ``session`` (or its model), from the
    form ``post``."""
    label = session._fields['date_end'].get_description(
        request.env)['string']
    values = {
        'scheme_id': _int(post.get('scheme_id')) or False,
        'certificate_type_id': _int(post.get('certificate_type_id')) or False,
        'platform_id': _int(post.get('platform_id')) or False,
        'place_zip': (post.get('place_zip') or '').strip(),
        'place_city': (post.get('place_city') or '').strip(),
        'training_kind': post.get('training_kind') or False,
        'date_end': _date(post.get('date_end'), label),
    }
    if values['platform_id']:
        # one of the entity's platforms; the place is then the platform's
        platform = request.env.user.certification_entity_id.sudo(
        ).teaching_platform_ids.filtered(
            lambda partner: partner.id == values['platform_id'])
        if not platform:
            raise UserError(_('Choose one of the teaching platforms of your '
                              'entity.'))
        values.update(place_zip=platform.zip or '',
                      place_city=platform.city or '')
    _check_missing(session, values, required)
    return values


def _changed(session, values):
    """The ``values`` that change ``session``: saving the tab as it is
    must not make the trainer to check again."""
    return {name: value for name, value in values.items()
            if _form_value(session, name) != (
                str(value) if session._fields[name].type == 'many2one'
                and value else value or '')}


def _check_trainer(session, post):
    """The Formateur tab: the trainer's identity as entered, then the
    checks (their outcome is shown on the tab, found or not)."""
    label = session._fields['trainer_birthdate'].get_description(
        request.env)['string']
    session.write({
        'trainer_national_number': (
            post.get('trainer_national_number') or '').strip(),
        'trainer_lastname': (post.get('trainer_lastname') or '').strip(),
        'trainer_firstname': (post.get('trainer_firstname') or '').strip(),
        'trainer_birthdate': _date(post.get('trainer_birthdate'), label),
    })
    session.action_check_trainer()


def _candidate_values(post):
    """A candidate's values from the Stagiaires tab's form."""
    Candidate = request.env[CANDIDATE_MODEL]
    label = Candidate._fields['birthdate'].get_description(
        request.env)['string']
    values = {name: (post.get(name) or '').strip()
              for name in CANDIDATE_FORM}
    values['birthdate'] = _date(values['birthdate'], label)
    _check_missing(Candidate, values, CANDIDATE_REQUIRED)
    return values


def _own_candidate(session, candidate_id):
    """The candidate ``candidate_id`` of ``session`` (as the user), empty
    when it is of another session."""
    return session.candidate_ids.filtered(
        lambda cand: cand.id == _int(candidate_id))
