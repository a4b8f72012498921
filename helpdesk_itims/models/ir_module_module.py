from odoo import models
from odoo.modules import get_module_path
from odoo.tools.translate import TranslationImporter, get_po_paths

# helpdesk_mgmt's default stages that ITIMS renames (data/helpdesk_ticket_stage_data.xml)
RENAMED_STAGES = {
    "helpdesk_mgmt.helpdesk_ticket_stage_new",
    "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    "helpdesk_mgmt.helpdesk_ticket_stage_done",
    "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
}


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Keep the translated names of the stages ITIMS renames.

        Odoo never lets a module's PO file overwrite a translation another module
        loaded first (helpdesk_mgmt's "Nuevo" for the stage we call "Registered"), so
        our entries for those records are loaded again, overwriting.
        """
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "helpdesk_itims" in modules and get_module_path("helpdesk_itims"):
            importer = TranslationImporter(self.env.cr, verbose=False)
            for lang in langs:
                for po_path in get_po_paths("helpdesk_itims", lang):
                    importer.load_file(po_path, lang, xmlids=RENAMED_STAGES)
            importer.save(overwrite=True, force_overwrite=True)
        return res
