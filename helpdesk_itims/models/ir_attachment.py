import logging
import os

from odoo import api, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# context key: a list that collects the file store names this transaction wrote
WRITTEN_FILES_KEY = "itims_written_files"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _file_write(self, bin_value, checksum):
        written = self.env.context.get(WRITTEN_FILES_KEY)
        if written is None:
            return super()._file_write(bin_value, checksum)
        existed = os.path.exists(self._full_path(f"{checksum[:2]}/{checksum}"))
        fname = super()._file_write(bin_value, checksum)
        if not existed:
            written.append(fname)
        return fname

    @api.model
    def _itims_discard_files(self, fnames):
        """Remove the files a failed (rolled back) creation wrote to the file store,
        unless an attachment references them, instead of leaving them to the daily
        garbage collection. Done as the garbage collection does it: in a cursor of
        its own, with the attachment table locked against concurrent writers."""
        fnames = sorted(set(fnames or ()))
        if not fnames:
            return
        with self.env.registry.cursor() as cr:
            cr.execute(SQL("LOCK %s IN SHARE MODE", SQL.identifier(self._table)))
            cr.execute(
                SQL(
                    "SELECT store_fname FROM %s WHERE store_fname IN %s",
                    SQL.identifier(self._table),
                    tuple(fnames),
                )
            )
            used = {row[0] for row in cr.fetchall()}
            for fname in fnames:
                if fname in used:
                    continue
                for path in (
                    self._full_path(fname),
                    os.path.join(self._full_path("checklist"), fname),
                ):
                    try:
                        os.unlink(path)
                    except OSError:
                        _logger.info("Could not remove %s", path, exc_info=True)
