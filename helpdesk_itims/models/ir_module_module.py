from odoo import models
from odoo.modules import get_module_path
from odoo.tools import file_open
from odoo.tools.translate import PoFileReader, TranslationImporter, get_po_paths

# helpdesk_mgmt's default stages that ITIMS renames (data/helpdesk_ticket_stage_data.xml)
RENAMED_STAGES = {
    "helpdesk_mgmt.helpdesk_ticket_stage_new",
    "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    "helpdesk_mgmt.helpdesk_ticket_stage_done",
    "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
}


def _upstream_xmlids(po_path):
    """The records of other modules that a PO file of ours translates (our wording
    of their terms, i18n_extra/)."""
    xmlids = set()
    with file_open(po_path, mode="rb") as po_file:
        for row in PoFileReader(po_file):
            if row.get("type") != "code" and row.get("module") != "helpdesk_itims":
                xmlids.add(f"{row['module']}.{row['imd_name']}")
    return xmlids


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Keep our Spanish wording of the records of the modules we build on.

        Odoo never lets a module's PO file overwrite a translation another module
        loaded first (helpdesk_mgmt's "Nuevo" for the stage we call "Registered",
        its "Tíquets" and its "Equipo" for a team), so our entries for those records
        (the renamed stages, and every entry of i18n_extra/) are loaded again,
        overwriting.
        """
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "helpdesk_itims" in modules and get_module_path("helpdesk_itims"):
            importer = TranslationImporter(self.env.cr, verbose=False)
            for lang in langs:
                for po_path in get_po_paths("helpdesk_itims", lang):
                    xmlids = RENAMED_STAGES | _upstream_xmlids(po_path)
                    importer.load_file(po_path, lang, xmlids=xmlids)
            importer.save(overwrite=True, force_overwrite=True)
        return res
