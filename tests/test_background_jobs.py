# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError

from .common import TrainingCase, run_jobs


class TestBackgroundJobs(TrainingCase):
    """Issue 18: the fan-out of a click runs as background jobs, which the
    operational managers follow (state, retries, errors) without being
    able to change them."""

    @classmethod
    def setUpClass(cls):
        super(TestBackgroundJobs, cls).setUpClass()
        cls.session = cls._create_session(
            name='Accueil des nouveaux', calendar_invitations=True,
            publication_state='published')
        cls._add_sequence(cls.session, 'Jour 1', slots=[
            ('2027-05-15 07:00:00', '2027-05-15 15:00:00')])
        cls.Job = cls.env['queue.job'].sudo()

    def _queue_training_job(self):
        before = self.Job.search([])
        self._register(self.session, self.Partner.create(
            {'name': 'Hugo Lambert', 'email': 'hugo@example.fr'}))
        jobs = self.Job.search([]) - before
        self.assertTrue(jobs)
        return jobs

    def test_managers_follow_the_training_jobs_only(self):
        jobs = self._queue_training_job()
        # a job of another application (the root channel)
        other = self.Job.create({
            'uuid': 'other-app-job', 'user_id': self.env.uid,
            'state': 'done', 'name': 'Autre application',
            'model_name': 'res.partner', 'method_name': 'name_get',
            'channel': 'root'})
        Job = self.env['queue.job'].sudo(self.manager)
        visible = Job.search([])
        self.assertTrue(jobs <= visible)
        self.assertFalse(other & visible)
        view = self.env.ref('training_session.queue_job_view_form_training')
        fields = Job.fields_view_get(view.id, 'form')['fields']
        self.assertTrue(Job.browse(jobs.ids).read(list(fields)))
        tree = self.env.ref('training_session.queue_job_view_tree_training')
        self.assertTrue(Job.search_read(
            [('id', 'in', jobs.ids)],
            list(Job.fields_view_get(tree.id, 'tree')['fields'])))
        # the method, records and user of a job are not theirs to change
        with self.assertRaises(AccessError):
            Job.browse(jobs.ids[:1]).write({'method_name': 'unlink'})
        with self.assertRaises(AccessError):
            Job.browse(jobs.ids[:1]).unlink()
        with self.assertRaises(AccessError):
            Job.create({'uuid': 'x', 'user_id': self.manager.id,
                        'state': 'pending', 'model_name': 'res.partner',
                        'method_name': 'unlink', 'channel': 'root'})
        # the training users and the portal see none
        for user in (self.user, self.trainer, self.trainee):
            with self.assertRaises(AccessError):
                self.env['queue.job'].sudo(user).search([])

    def test_job_results_are_observable(self):
        jobs = self._queue_training_job()
        run_jobs(self.env)
        self.assertEqual(set(jobs.mapped('state')), {'done'})
        self.assertTrue(all(jobs.mapped('result')))
