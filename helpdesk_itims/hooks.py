from odoo.modules import get_module_path
from odoo.tools import SQL
from odoo.tools.translate import TranslationImporter, get_po_paths

from .models.ir_module_module import RENAMED_STAGES

ORIGINAL_STAGE_NAMES = {
    "helpdesk_mgmt.helpdesk_ticket_stage_new": "New",
    "helpdesk_mgmt.helpdesk_ticket_stage_done": "Done",
}
ARCHIVED_STAGES = (
    "helpdesk_mgmt.helpdesk_ticket_stage_awaiting",
    "helpdesk_mgmt.helpdesk_ticket_stage_rejected",
)


def uninstall_hook(env):
    """Give helpdesk_mgmt its default stages back as it made them, and take
    tickets out of the website form builder: without ITIMS's validation its
    generic create must not serve them."""
    ticket_model = env["ir.model"]._get("helpdesk.ticket")
    if ticket_model and "website_form_access" in ticket_model._fields:
        ticket_model.write({"website_form_access": False, "website_form_key": False})
        # the ORM refuses to change base fields' properties: website's own
        # formbuilder_whitelist writes this column in SQL too
        env.cr.execute(
            SQL(
                "UPDATE ir_model_fields SET website_form_blacklisted = TRUE WHERE model = %s",
                "helpdesk.ticket",
            )
        )
        env["ir.model.fields"].invalidate_model(["website_form_blacklisted"])
    for xmlid, name in ORIGINAL_STAGE_NAMES.items():
        stage = env.ref(xmlid, raise_if_not_found=False)
        if stage:
            stage.with_context(lang="en_US").name = name
    for xmlid in ARCHIVED_STAGES:
        stage = env.ref(xmlid, raise_if_not_found=False)
        if stage:
            stage.active = True
    if get_module_path("helpdesk_mgmt"):
        importer = TranslationImporter(env.cr, verbose=False)
        for lang, __ in env["res.lang"].get_installed():
            for po_path in get_po_paths("helpdesk_mgmt", lang):
                importer.load_file(po_path, lang, xmlids=RENAMED_STAGES)
        importer.save(overwrite=True, force_overwrite=True)
