# A file of its own while helpdesk_ticket.py is being reworked; to be merged into it.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models


class HelpdeskTicket(models.Model):
    """What helpdesk_mgmt's portal may show and accept on an ITIMS ticket.

    Requesters follow their tickets on ITIMS's tracking page, which has its own
    token: the portal ``access_token`` (and the signed ``hash``/``pid`` of
    notification links) grants nothing on a ticket's chatter, and nobody posts
    or uploads on a ticket without the right to write it (``_mail_post_access``).
    """

    _inherit = "helpdesk.ticket"

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # only the caller's own rights count: portal's override hands out the
        # ticket as sudo to anyone holding its portal token or a signed
        # notification link (chatter reads, /mail/message/post,
        # /mail/attachment/upload)
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        if thread and not thread.sudo(False).has_access(mode):
            return self.browse()
        return thread

    def _itims_portal_attachments(self):
        """The attachments of this ticket that its requester may download from
        the portal: the ones the requester's side uploaded (the public intake,
        which creates them as the public user, or a portal user). Whatever the
        desk attached (internal notes, screenshots, reports) stays internal."""
        self.ensure_one()
        # sudo: create_uid of attachments the viewer may not read; only the
        # filter is computed here, the caller decides what to render
        return self.sudo().attachment_ids.filtered(lambda a: a.create_uid.share)

    def _itims_assignee_first_name(self):
        """The technician as shown to requesters: their first name only."""
        self.ensure_one()
        # sudo: requesters (portal, public) cannot read internal users
        words = (self.sudo().user_id.name or "").split()
        return words[0] if words else ""
