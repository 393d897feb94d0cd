"""Writes NOTICES.txt into each vendored runtime component's folder: who holds its files and the
whole text of every license they are under, taken from packaging/copyright (the package's
machine-readable copyright file, the one place the terms are written down). An export ships it
beside the component's files, so a site that redistributes PyScript, Pyodide or MicroPython
carries their licenses; a web host has no /usr/share/common-licenses, so the texts the copyright
file points at are copied in.

    runtime_notices.py COPYRIGHT RUNTIME_DIR COMPONENT_DIR...
"""

from __future__ import annotations

import os
import re
import sys

from debian import copyright as dep5  # python3-debian: Debian's own reader of the format

COMMON_LICENSES = re.compile(r"/usr/share/common-licenses/[\w.-]+")


def license_text(document: dep5.Copyright, name: str) -> str:
    paragraphs = [p for p in document.all_license_paragraphs() if p.license.synopsis == name]
    if not paragraphs:
        sys.exit(f"runtime_notices.py: the copyright file has no License paragraph for {name}")
    text = paragraphs[0].license.text
    pointed = COMMON_LICENSES.findall(text)
    if pointed:  # "On Debian systems, the complete text ... can be found in ..."
        with open(pointed[0], encoding="utf-8") as f:
            return f.read().strip("\n")
    return text.strip("\n")


def notices(document: dep5.Copyright, folder: str) -> str:
    paragraph = document.find_files_paragraph(f"usr/share/loom/runtime/{folder}/NOTICES.txt")
    if paragraph is None or paragraph.files == ("*",):
        sys.exit(f"runtime_notices.py: the copyright file has no Files paragraph for runtime/{folder}")
    names = re.split(r"\s+(?:and|or)\s+", paragraph.license.synopsis.strip())
    parts = [
        f"The files of this folder ({folder}), as Loom vendors them from npm.",
        "",
        "Copyright: " + "\n           ".join(line.strip() for line in paragraph.copyright.splitlines()),
        f"License: {paragraph.license.synopsis}",
        "",
        "\n".join(line.strip() for line in paragraph.comment.strip("\n").splitlines()),
    ]
    for name in names:
        parts += ["", "", f"==== {name} ====", "", license_text(document, name)]
    return "\n".join(parts) + "\n"


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    copyright_path, runtime_dir, *folders = sys.argv[1:]
    with open(copyright_path, encoding="utf-8") as f:
        document = dep5.Copyright(f, strict=True)
    for folder in folders:
        out = os.path.join(runtime_dir, folder, "NOTICES.txt")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        text = notices(document, folder)
        with open(out + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
