# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""LHEO ("Langage harmonisé d'échange d'informations sur l'offre de
formation"), the national XML format of training offers, in one place: the
reader of partner offers (2.3, and 2.2 by its namespace) used by the import,
and the parts of the writer (elements, dates, schema) used by the catalogue
feed (README "Design")."""
import datetime
import io
import os
import re

from lxml import etree

from odoo import _, fields
from odoo.exceptions import UserError

# the namespace written by the feed, and those read by the import
LHEO_NS = 'http://lheo.gouv.fr/2.3'
LHEO_NAMESPACES = (LHEO_NS, 'http://www.lheo.org/2.2')
XSD_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)),
                        'data', 'lheo', 'lheo.xsd')
# modalite-recrutement of an information session ("information collective")
INFO_SESSION_RECRUITMENT = '9'
# XML 1.0 refuses control characters (pasted from word processors)
CONTROL_CHARS_RE = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f]')
# the sessions of an offer, from one of its formation elements
SESSIONS_PATH = 'l:action/l:session'
# what some feeds write where a name is unknown (ONISEP: raison-sociale "-")
PLACEHOLDERS = ('', '-', '.')
_SCHEMA = []


# ------------------------------------------------------------------ writing
def schema():
    """The LHEO 2.3 schema, parsed once per process."""
    if not _SCHEMA:
        _SCHEMA.append(etree.XMLSchema(etree.parse(XSD_PATH)))
    return _SCHEMA[0]


def element(*args, **attrib):
    """An LHEO 2.3 element: ``element(tag, *children, **attributes)``, where
    children are elements, lists of elements, texts, or None, False and ''
    (skipped)."""
    tag, children = args[0], args[1:]
    node = etree.Element('{%s}%s' % (LHEO_NS, tag), nsmap={None: LHEO_NS},
                         **{key: value for key, value in attrib.items()
                            if value})
    for child in children:
        # ``value and element(...)`` gives a false value to skip (never
        # test an element's truth: an element without children is false)
        if child is None or isinstance(child, bool) or child == '':
            continue
        if isinstance(child, (list, tuple)):
            for sub in child:
                if sub is not None:
                    node.append(sub)
        elif isinstance(child, str):
            node.text = CONTROL_CHARS_RE.sub('', child)
        else:
            node.append(child)
    return node


def date_text(value):
    """An LHEO date, YYYYMMDD, of a date."""
    return value.strftime('%Y%m%d')


# ------------------------------------------------------------------ reading
def safe_iterparse(raw, **kwargs):
    """lxml's incremental parser on an uploaded file: never resolve
    entities, load a DTD nor fetch anything, so that it cannot read the
    server's files (XXE), and keep libxml2's size limits (no huge_tree)."""
    return etree.iterparse(io.BytesIO(raw), resolve_entities=False,
                           load_dtd=False, no_network=True, huge_tree=False,
                           **kwargs)


def read_date(value):
    """An LHEO date (YYYYMMDD; 00000000 or 99999999 when unknown) as
    DD/MM/YYYY, the format of the CSV import; '' when unknown, the value as
    it is when it is not a date (then reported as such)."""
    if value in ('00000000', '99999999'):
        return ''
    try:
        return datetime.datetime.strptime(value, '%Y%m%d').strftime(
            '%d/%m/%Y')
    except ValueError:
        return value


def read_time(value):
    """'09:30', '9h30' or '09' as hours (9.5); None when unreadable."""
    match = re.match(r'^(\d{1,2})(?:[:hH](\d{2}))?$', value or '')
    if not match or int(match.group(1)) > 23:
        return None
    return int(match.group(1)) + int(match.group(2) or 0) / 60.0


class LheoOfferReader(object):
    """The sessions of a partner's LHEO offer, read one ``formation`` at a
    time so that the memory used does not grow with the file, as rows in
    the columns of the CSV import (README "Import"). Messages are in the
    language of ``env``."""

    def __init__(self, env, raw):
        self.env = env
        self.raw = raw
        self.namespace = self._namespace()
        self.ns = {'l': self.namespace}

    def _namespace(self):
        """The namespace of the offer, read from its root element alone."""
        try:
            root = next(safe_iterparse(self.raw, events=('start',)))[1]
        except etree.XMLSyntaxError as error:
            raise UserError(_('This XML file cannot be read: %s') % error)
        namespace = etree.QName(root).namespace
        if etree.QName(root).localname != 'lheo' or \
                namespace not in LHEO_NAMESPACES:
            raise UserError(_(
                'This XML file is not an LHEO 2.3 or 2.2 offer: its root '
                'element must be <lheo> in one of the namespaces %s.'
            ) % ', '.join(LHEO_NAMESPACES))
        return namespace

    def count(self):
        """The number of sessions of the offer, in a pass that keeps
        nothing."""
        try:
            return sum(len(formation.findall(SESSIONS_PATH, self.ns))
                       for formation in self._formations())
        except etree.XMLSyntaxError as error:
            raise UserError(_('This XML file cannot be read: %s') % error)

    def rows(self):
        """The (line number, row) of every session of the offer."""
        for formation in self._formations():
            for row in self._formation_rows(formation):
                yield row

    def _formations(self):
        """The formation elements (lheo/offres/formation), each removed from
        the tree once used."""
        offres = '{%s}offres' % self.namespace
        for _event, formation in safe_iterparse(
                self.raw, events=('end',),
                tag='{%s}formation' % self.namespace):
            parent = formation.getparent()
            if parent is not None and parent.tag == offres and \
                    parent.getparent() is not None and \
                    parent.getparent().getparent() is None:
                yield formation
            formation.clear()
            while formation.getprevious() is not None:
                del formation.getparent()[0]

    def _text(self, node, path):
        """The stripped text of the element at ``path`` under ``node``, ''
        when there is none or it is a placeholder ("-")."""
        found = node.find(path, self.ns) if node is not None else None
        value = (found.text or '').strip() if found is not None else ''
        return '' if value in PLACEHOLDERS else value

    def _first(self, node, *paths):
        """The first non-empty text of ``paths`` under ``node``."""
        for path in paths:
            value = self._text(node, path)
            if value:
                return value
        return ''

    def _formation_rows(self, formation):
        rows = []
        responsible = formation.find('l:organisme-formation-responsable',
                                     self.ns)
        for session in formation.iterfind(SESSIONS_PATH, self.ns):
            action = session.getparent()
            row = {
                'external_ref': session.get('numero', ''),
                'name': self._text(formation, 'l:intitule-formation'),
                'date_start': read_date(
                    self._text(session, 'l:periode/l:debut')),
                'date_end': read_date(self._text(session, 'l:periode/l:fin')),
                'info_sessions': [
                    self._info_session(recruitment)
                    for recruitment in session.iterfind('l:recrutement',
                                                        self.ns)
                    if self._text(recruitment, 'l:modalite-recrutement') ==
                    INFO_SESSION_RECRUITMENT],
            }
            row.update(self._organisation(responsible, action))
            row.update(self._place(action, session))
            rows.append((session.sourceline, row))
        return rows

    def _organisation(self, responsible, action):
        """The organisation of a session, with its SIRET when the offer
        gives it: the responsible organisation, else the action's trainer
        organisation."""
        name = self._first(responsible, 'l:raison-sociale',
                           'l:nom-organisme')
        siret = self._text(responsible, 'l:SIRET-organisme-formation/l:SIRET')
        if not name:
            trainer = action.find('l:organisme-formateur', self.ns)
            name = self._text(trainer, 'l:raison-sociale-formateur')
            siret = self._text(trainer, 'l:SIRET-formateur/l:SIRET')
        values = {'organisation': name}
        if name and siret:
            values['organisation_siret'] = siret
        return values

    def _place(self, action, session):
        """The session's place: named as the offer names it (the address'
        denomination, else the name or first line of its coordinates, as
        LHEO 2.2 offers write it), with its address; the registration
        address when the action has no place."""
        coordinates = action.find('l:lieu-de-formation/l:coordonnees',
                                  self.ns)
        address = coordinates.find('l:adresse', self.ns) \
            if coordinates is not None else None
        if address is None:
            coordinates = None
            address = session.find('l:adresse-inscription/l:adresse',
                                   self.ns)
        if address is None:
            return {}
        return {
            'place': self._first(address, 'l:denomination') or self._first(
                coordinates, 'l:nom', 'l:ligne') or self._text(
                address, 'l:ligne'),
            'place_street': self._text(address, 'l:ligne'),
            'place_zip': self._text(address, 'l:codepostal'),
            'place_city': self._text(address, 'l:ville'),
        }

    def _info_session(self, node):
        """The values of an information session from a ``recrutement``
        element, with the list of what makes it unusable under 'errors'."""
        errors = []
        label = day = read_date(self._text(node, 'l:periode/l:debut'))
        try:
            day = fields.Date.to_string(
                datetime.datetime.strptime(day, '%d/%m/%Y'))
        except ValueError:
            errors.append(_('Information session: "%s" is not a date.')
                          % label)
        start = read_time(self._text(node, 'l:heure-debut'))
        end = read_time(self._text(node, 'l:heure-fin'))
        if start is None or end is None:
            errors.append(_('Information session of %s: the start and end '
                            'times are required (HH:MM).') % label)
        seats = self._text(node, 'l:nb-places')
        if seats and not seats.isdigit():
            errors.append(_('Information session of %(date)s: "%(seats)s" '
                            'is not a number of seats.') % {
                                'date': label, 'seats': seats})
        lines = [line.text.strip() for line in node.iterfind(
            'l:adresse/l:ligne', self.ns) if line.text and line.text.strip()]
        return {
            'date': day, 'time_start': start, 'time_end': end,
            'seats': int(seats) if seats.isdigit() else 0,
            'public_comment': self._text(node, 'l:commentaire') or False,
            'street_name': lines[0] if lines else False,
            'building': lines[1] if len(lines) > 1 else False,
            'special_mention': lines[2] if len(lines) > 2 else False,
            'zip': self._text(node, 'l:adresse/l:codepostal') or False,
            'city': self._text(node, 'l:adresse/l:ville') or False,
            'label': label,
            'errors': errors,
        }
