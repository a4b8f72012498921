from odoo.tests import HttpCase, tagged

from .common import activate_spanish


@tagged("post_install", "-at_install")
class TestBackendUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_spanish(cls.env)

    def test_helpdesk_kanban_shows_the_four_stages(self):
        """What `make run` users see first: the ticket kanban with the ITIMS stages."""
        self.env.ref("base.user_admin").lang = "es_ES"
        self.env.flush_all()
        self.start_tour("/odoo", "itims_backend_stages_tour", login="admin")

    def test_stage_names_in_spanish(self):
        """helpdesk_mgmt's Spanish names ("Nuevo", "Hecho") do not win over ours."""
        names = (
            self.env["helpdesk.ticket.stage"].with_context(lang="es_ES").search([]).mapped("name")
        )
        self.assertEqual(names, ["Registrado", "En proceso", "Resuelto", "Cancelado"])
