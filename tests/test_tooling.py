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
