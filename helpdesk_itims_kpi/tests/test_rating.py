import re

from odoo import fields
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.helpdesk_itims.tests.test_website_intake import ItimsWebsiteCase

RATE_LINK = re.compile(r'href="(?:[^"]*)(/rate/([\w-]+)/(\d))"')


@tagged("post_install", "-at_install")
class TestRating(ItimsWebsiteCase):
    """The requester rates a resolved ticket from 1 to 5: from the one closing
    e-mail and from the tracking page opened with the link's token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_ids = [(4, cls.technician.id)]
        cls.manager = new_test_user(
            cls.env, login="itims_rating_manager", groups="helpdesk_itims.group_itims_manager"
        )
        cls.ticket = cls._new_ticket(name="La impresora no imprime")
        cls.token = cls.ticket._itims_new_tracking_token()

    def setUp(self):
        super().setUp()
        # as after the request that created it: Odoo tracks no record in the
        # transaction that created it
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _resolve(self, ticket=None):
        ticket = ticket or self.ticket
        tech = self.technician
        ticket.with_user(tech).action_take()
        wizard = Form(
            self.env["helpdesk.ticket.close.wizard"]
            .with_user(tech)
            # the stage's e-mail goes out through tracking, which fixtures disable
            .with_context(tracking_disable=False, mail_notrack=False)
            .with_context(**ticket.with_user(tech).action_itims_resolve()["context"])
        )
        wizard.resolution_notes = "Se cambió el tóner."
        wizard.save().action_confirm()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(ticket.itims_state, "resolved")

    def _requester_mails(self):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket.id)])
            .filtered(
                lambda m: (
                    self.employee.work_email
                    in (m.email_to or "") + " ".join(m.recipient_ids.mapped("email"))
                )
            )
        )

    def _tracking_html(self, token=True):
        if token:
            url = f"/soporte/seguimiento?ticket={self.ticket.number}&token={self.token}"
            response = self.url_open(url)
        else:
            response = self.url_open(
                "/soporte/seguimiento",
                data={"ticket": self.ticket.number, "national_id": "99887766"},
            )
        self.assertEqual(response.status_code, 200)
        return response.text

    def _rate(self, path, rate):
        """Open a rating link and submit the page's form with ``rate``."""
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        token = path.split("/")[2]
        return self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": str(rate), "feedback": "Muy rápido.", "csrf_token": csrf},
        )

    def test_one_email_with_the_rating_links(self):
        self._resolve()
        mails = self._requester_mails()
        self.assertEqual(len(mails), 1, "the closing e-mail, no second one")
        links = RATE_LINK.findall(mails.body_html)
        self.assertEqual([int(rate) for _path, _token, rate in links], [1, 2, 3, 4, 5])
        self.assertEqual(len({token for _path, token, _rate in links}), 1)
        rating = self.env["rating.rating"].sudo().search([("access_token", "=", links[0][1])])
        self.assertEqual(rating.res_model, "helpdesk.ticket")
        self.assertEqual(rating.res_id, self.ticket.id)
        self.assertFalse(rating.consumed)
        self.assertIn("Se cambió el tóner.", mails.body_html)  # the closing e-mail's text

    def test_rating_reaches_summary(self):
        self._resolve()
        path = RATE_LINK.findall(self._requester_mails().body_html)[3][0]  # 4 of 5
        self.assertTrue(path.endswith("/4"))
        response = self._rate(path, 4)
        self.assertEqual(response.status_code, 200)
        rating = self.ticket.sudo().rating_ids
        self.assertEqual(len(rating), 1)
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 4)
        today = fields.Date.context_today(self.manager)
        res = (
            self.env["itims.kpi"]
            .with_user(self.manager)
            .summary(today, today, office_ids=[self.ticket.office_id.id])
        )
        self.assertEqual(res["rated_tickets"], 1)
        self.assertEqual(res["avg_rating"], 4.0)
        self.assertEqual(res["satisfaction_pct"], 80.0)
        # the tracking page now shows the rating given, no links
        html = self._tracking_html()
        self.assertIn('id="itims_tracking_rated"', html)
        self.assertNotIn("/rate/", html)

    def test_two_and_four_are_ratings_too(self):
        """Odoo's rating route knows 1, 3 and 5: a ticket is rated on five points."""
        self._resolve()
        path = RATE_LINK.findall(self._tracking_html())[1][0]
        self.assertEqual(self._rate(path, 2).status_code, 200)
        self.assertEqual(self.ticket.sudo().rating_ids.rating, 2)

    def test_bad_rate_is_refused(self):
        self._resolve()
        path = RATE_LINK.findall(self._tracking_html())[0][0]
        token = path.split("/")[2]
        self.assertEqual(self.url_open(f"/rate/{token}/9").status_code, 400)
        page = self.url_open(path)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        for rate in ("9", "0", "x"):
            response = self.url_open(
                f"/rate/{token}/submit_feedback", data={"rate": rate, "csrf_token": csrf}
            )
            self.assertEqual(response.status_code, 400, rate)
        self.assertFalse(self.ticket.sudo().rating_ids.filtered("consumed"))

    def test_tracking_page_links_only_with_token_and_resolved(self):
        self.assertNotIn('id="itims_tracking_rating"', self._tracking_html())  # open
        self._resolve()
        html = self._tracking_html()
        self.assertIn('id="itims_tracking_rating"', html)
        links = RATE_LINK.findall(html)
        self.assertEqual([int(rate) for _path, _token, rate in links], [1, 2, 3, 4, 5])
        # the same token as the e-mail's
        mail_links = RATE_LINK.findall(self._requester_mails().body_html)
        self.assertEqual(links[0][1], mail_links[0][1])
        # looked up with the national ID: state and dates only, no rating links
        html = self._tracking_html(token=False)
        self.assertIn('data-state="resolved"', html)
        self.assertNotIn("/rate/", html)
