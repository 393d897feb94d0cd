"""Writes the package's changelog.Debian.gz from the AppStream metainfo's releases, so the two never
disagree: an entry per <release>, newest first, its description as the entry's text, dated at the
release's date (deterministic: no build time in it, gzip without a name or a time).

    changelog.py --metainfo FILE --package NAME --revision N --maintainer "NAME <MAIL>" --output FILE.gz
"""

from __future__ import annotations

import argparse
import datetime
import email.utils
import gzip
import textwrap
import xml.etree.ElementTree as ET


def entries(metainfo: str, package: str, revision: str, maintainer: str) -> str:
    releases = ET.parse(metainfo).getroot().findall("releases/release")
    if not releases:
        raise SystemExit(f"changelog.py: {metainfo} has no <release>")
    out = []
    for release in releases:
        date = datetime.datetime.strptime(release.get("date"), "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        items = [" ".join("".join(p.itertext()).split()) for p in release.iterfind("description/*")]
        out.append(f"{package} ({release.get('version')}-{revision}) unstable; urgency=medium\n")
        for item in items or ["New upstream release."]:
            out.append(textwrap.fill(item, width=78, initial_indent="  * ", subsequent_indent="    "))
        out.append(f"\n -- {maintainer}  {email.utils.format_datetime(date)}\n")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    for option in ("--metainfo", "--package", "--revision", "--maintainer", "--output"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    text = entries(args.metainfo, args.package, args.revision, args.maintainer)
    with open(args.output, "wb") as raw, gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
        f.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
