# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime

import icalendar
import pytz

from .common import TrainingCase

PARIS = pytz.timezone('Europe/Paris')


class TestCalendar(TrainingCase):
    """Invitations per sequence, RFC 5545 (icalendar)."""

    @classmethod
    def setUpClass(cls):
        super(TestCalendar, cls).setUpClass()
        cls.place = cls.Partner.create({
            'name': 'Campus Lyon', 'street': '19 boulevard Vivier-Merle',
            'zip': '69003', 'city': 'Lyon'})
        cls.session = cls._create_session(name='Manager une équipe')
        # 09:00-17:00 in Paris in winter (UTC+1) and in summer (UTC+2),
        # on both sides of the 28 March 2027 change
        cls.winter = cls._add_sequence(cls.session, 'Séquence hiver', slots=[
            ('2027-03-26 08:00:00', '2027-03-26 16:00:00',
             {'place_id': cls.place.id})])
        cls.summer = cls._add_sequence(cls.session, 'Séquence été', slots=[
            ('2027-03-29 07:00:00', '2027-03-29 15:00:00'),
            ('2027-03-30 07:00:00', '2027-03-30 11:00:00')],
            url='https://visio.example.fr/manager')
        cls.reg = cls.Registration.create({
            'session_id': cls.session.id, 'state': 'confirmed',
            'partner_id': cls.Partner.create(
                {'name': 'Hugo Lambert', 'email': 'hugo@example.fr'}).id})

    def _event(self, data):
        calendar = icalendar.Calendar.from_ical(data)
        events = calendar.walk('VEVENT')
        self.assertEqual(len(events), 1)
        return calendar, events[0]

    def test_invitation_carries_uid_sequence_method_and_zone(self):
        calendar, event = self._event(self.reg.ics_invitation(self.winter))
        self.assertEqual(calendar['METHOD'], 'REQUEST')
        self.assertEqual(event['SEQUENCE'], 0)
        start = event.decoded('DTSTART')
        self.assertEqual(start.utcoffset(), datetime.timedelta(0))
        self.assertEqual(start.astimezone(PARIS).strftime('%H:%M'), '09:00')
        self.assertIn('Campus Lyon', str(event['LOCATION']))
        self.assertEqual(str(event['ATTENDEE']), 'mailto:hugo@example.fr')
        # across the change of time, still 09:00 in Paris
        _calendar, summer = self._event(self.reg.ics_invitation(self.summer))
        self.assertEqual(summer.decoded('DTSTART').astimezone(PARIS)
                         .strftime('%d/%m %H:%M'), '29/03 09:00')
        self.assertEqual(summer.decoded('DTEND').astimezone(PARIS)
                         .strftime('%d/%m %H:%M'), '30/03 13:00')
        self.assertIn('30/03/2027 09:00 - 13:00', str(summer['DESCRIPTION']))
        self.assertIn('https://visio.example.fr/manager',
                      str(summer['DESCRIPTION']))

    def test_update_and_cancel_keep_the_uid(self):
        _calendar, first = self._event(self.reg.ics_invitation(self.winter))
        _calendar, update = self._event(self.reg.ics_invitation(
            self.winter, revision=1))
        calendar, cancel = self._event(self.reg.ics_invitation(
            self.winter, method='CANCEL', revision=2))
        self.assertEqual(first['UID'], update['UID'])
        self.assertEqual(first['UID'], cancel['UID'])
        self.assertNotEqual(first['UID'], self._event(
            self.reg.ics_invitation(self.summer))[1]['UID'])
        self.assertEqual((update['SEQUENCE'], cancel['SEQUENCE']), (1, 2))
        self.assertEqual(calendar['METHOD'], 'CANCEL')
        self.assertEqual(cancel['STATUS'], 'CANCELLED')

    def test_download_from_the_registration(self):
        action = self.reg.action_download_ics()
        attachment = self.env['ir.attachment'].browse(
            int(action['url'].split('/')[3].split('?')[0]))
        calendar = icalendar.Calendar.from_ical(
            base64.b64decode(attachment.datas))
        self.assertEqual(calendar['METHOD'], 'PUBLISH')
        self.assertEqual(len(calendar.walk('VEVENT')), 2)
        self.summer.status = 'cancelled'
        action = self.reg.action_download_ics()
        attachment = self.env['ir.attachment'].browse(
            int(action['url'].split('/')[3].split('?')[0]))
        self.assertEqual(len(icalendar.Calendar.from_ical(
            base64.b64decode(attachment.datas)).walk('VEVENT')), 1)
