"""Check that each addon's README.rst was generated from its current readme/ fragments.

oca-gen-addon-readme writes ``!! source digest: sha256:...`` into README.rst: the sha256 of
the manifest and of the readme/ folder (file names and contents, as maintainer-tools'
``tools/_hash.py`` computes it). A README.rst whose digest differs is stale: run
``make readme``. Exit status 1 when any is stale or missing.
"""

import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGEST_RE = re.compile(r"!! source digest: (sha256:\w+)")


def source_digest(addon_dir):
    """sha256 over the manifest, then readme/ walked as os.walk does (dot files skipped)."""
    relative = ["__manifest__.py"]
    for dirpath, dirnames, filenames in os.walk(addon_dir / "readme"):
        dirnames.sort()
        reldir = os.path.relpath(dirpath, addon_dir)
        relative += [os.path.join(reldir, f) for f in sorted(filenames) if not f.startswith(".")]
    digest = hashlib.sha256()
    for name in relative:
        digest.update(name.encode("utf-8"))
        digest.update((addon_dir / name).read_bytes())
    return f"sha256:{digest.hexdigest()}"


def stale_readmes(root=ROOT):
    stale = []
    for manifest in sorted(root.glob("*/__manifest__.py")):
        addon_dir = manifest.parent
        if not (addon_dir / "readme" / "DESCRIPTION.md").is_file():
            continue
        readme = addon_dir / "README.rst"
        found = DIGEST_RE.search(readme.read_text(encoding="utf-8")) if readme.is_file() else None
        if not found or found.group(1) != source_digest(addon_dir):
            stale.append(readme.relative_to(root))
    return stale


def main():
    stale = stale_readmes()
    for readme in stale:
        print(f"{readme}: not generated from the current readme/ fragments (run `make readme`)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
