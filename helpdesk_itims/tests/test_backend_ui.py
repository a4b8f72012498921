from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBackendUi(HttpCase):
    def test_helpdesk_kanban_shows_the_four_stages(self):
        """What `make run` users see first: the ticket kanban with the ITIMS stages."""
        self.start_tour("/odoo", "itims_backend_stages_tour", login="admin")
