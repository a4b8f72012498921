"""The repository's tooling: one pin per tool, README.rst checked against its fragments."""

import importlib.util
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_readme_digest():
    spec = importlib.util.spec_from_file_location(
        "readme_digest", ROOT / "scripts" / "readme_digest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lint_tools_pinned_alike_in_the_venv_and_the_hooks():
    """ruff and pylint-odoo of the dev venv are the versions `make lint` runs."""
    requirements = (ROOT / "requirements.txt").read_text()
    hooks = (ROOT / ".pre-commit-config.yaml").read_text()
    for tool in ("ruff", "pylint-odoo"):
        venv_pin = re.search(rf"^{tool}==(\S+)$", requirements, re.MULTILINE).group(1)
        hook_pins = set(re.findall(rf'"{tool}==([^"]+)"', hooks))
        assert hook_pins == {venv_pin}, (tool, venv_pin, hook_pins)


def test_every_readme_generated_from_its_fragments():
    assert _load_readme_digest().stale_readmes(ROOT) == []


def test_a_changed_fragment_makes_the_readme_stale(tmp_path):
    addon = tmp_path / "helpdesk_itims_kpi"
    shutil.copytree(ROOT / "helpdesk_itims_kpi", addon)
    readme_digest = _load_readme_digest()
    assert readme_digest.stale_readmes(tmp_path) == []
    with (addon / "readme" / "DESCRIPTION.md").open("a") as description:
        description.write("\nOne more line.\n")
    assert readme_digest.stale_readmes(tmp_path) == [Path("helpdesk_itims_kpi/README.rst")]


def _rows(po_path):
    from odoo.tools.translate import PoFileReader

    return {
        (row["type"], row["name"], row.get("imd_name"), row["src"], row["value"])
        for row in PoFileReader(str(po_path))
    }


def test_no_translation_lost_to_the_pot(tmp_path):
    """Odoo merges i18n/<addon>.pot into each .po it loads and drops what the .pot lacks:
    every entry of a catalogue must be in the .pot (`make pot` after adding terms)."""
    checked = 0
    for pot in sorted(ROOT.glob("*/i18n/*.pot")):
        for po in sorted(pot.parent.glob("*.po")):
            alone = tmp_path / po.parent.parent.name / "i18n" / po.name
            alone.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(po, alone)  # a copy without the .pot beside it: read as written
            lost = _rows(alone) - _rows(po)
            assert not lost, f"{po.relative_to(ROOT)}: not in {pot.name}: {sorted(lost)[:5]}"
            checked += 1
    assert checked
