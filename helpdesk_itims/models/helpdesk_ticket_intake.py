from odoo import api, models

from .ir_attachment import WRITTEN_FILES_KEY


# Kept apart from helpdesk_ticket.py (over 400 lines already): the public intake.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _itims_create_from_intake(self, vals, files, company):
        """Create a public submission's ticket, its attachments and its tracking
        token, all or nothing.

        :param dict vals: validated ticket values (category, requester...)
        :param list files: ``[(filename, content, mimetype)]``, validated
        :return: ``(ticket, token)``, the token of the tracking link in clear
        :raise: whatever failed; nothing of the submission is left then, not even
            a file in the file store
        """
        category = self.env["helpdesk.ticket.category"].browse(vals["category_id"])
        team = category._itims_team(company)
        vals = dict(
            vals,
            company_id=company.id,
            team_id=team.id,
            stage_id=team._itims_stage("registered").id,
            channel_id=self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
            # helpdesk_mgmt's auto-assign default would give it to the creator; the
            # assignment engine picks the technician on create
            user_id=False,
        )
        written = []
        Attachment = self.env["ir.attachment"].with_context(**{WRITTEN_FILES_KEY: written})
        try:
            with self.env.cr.savepoint():
                ticket = self.create(vals)
                token = ticket._itims_new_tracking_token()
                Attachment.create(
                    [
                        {
                            "name": filename,
                            "raw": content,
                            "mimetype": mimetype,
                            "res_model": self._name,
                            "res_id": ticket.id,
                        }
                        for filename, content, mimetype in files
                    ]
                )
                ticket._itims_send_tracking_link(token)
                # everything computed now, inside the savepoint (and as the caller,
                # not as the visitor whose request ends with a flush)
                self.env.flush_all()
        except Exception:
            Attachment._itims_discard_files(written)
            raise
        return ticket, token
