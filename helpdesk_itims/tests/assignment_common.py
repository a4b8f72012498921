from odoo.tests import TransactionCase, new_test_user

from .common import QUIET_CONTEXT


class AssignmentCase(TransactionCase):
    """A team of three technicians built for the test (no demo data used)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET_CONTEXT))
        cls.stage_registered = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_resolved = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.tech_a, cls.tech_b, cls.tech_c = (
            cls._new_technician(f"itims_tech_{name}") for name in "abc"
        )
        cls.manager = new_test_user(
            cls.env,
            login="itims_assign_manager",
            groups="helpdesk_itims.group_itims_manager",
            name="Assign Manager",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "ITIMS assignment test team",
                "itims_assignment_method": "manual",
                "user_ids": [(6, 0, (cls.tech_a | cls.tech_b | cls.tech_c).ids)],
            }
        )

    @classmethod
    def _new_technician(cls, login, **kwargs):
        return new_test_user(
            cls.env,
            login=login,
            groups="helpdesk_itims.group_itims_technician",
            name=login.replace("_", " ").title(),
            **kwargs,
        )

    def _ticket(self, team=None, **vals):
        return self.env["helpdesk.ticket"].create(
            {
                "name": vals.pop("name", "Printer jammed"),
                "description": "<p>It does not print.</p>",
                "team_id": (team or self.team).id,
                **vals,
            }
        )

    def _tickets(self, count, team=None):
        tickets = self.env["helpdesk.ticket"]
        for index in range(count):
            tickets |= self._ticket(team=team, name=f"Incident {index}")
        return tickets

    def _set_method(self, method):
        self.team.itims_assignment_method = method

    def _loads(self):
        techs = self.tech_a | self.tech_b | self.tech_c
        counts = techs._itims_active_ticket_counts()
        return [counts.get(t.id, 0) for t in techs]
