"""Loom as a desktop sees it once installed: `cmake --install` of the build into a staging root,
then the checks a distribution and a software centre make on it. The .deb itself is installed
into a clean Debian 13 and run by packaging/check-deb.sh.

    python3 -m unittest test_installed_metadata    (LOOM_BUILD_DIR: the build to install)
"""

from __future__ import annotations

import configparser
import glob
import gzip
import json
import os
import re
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

BUILD = os.environ["LOOM_BUILD_DIR"]
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# The npm package each runtime component is vendored from (runtime.json names the components).
NPM_PACKAGES = {"pyscript": "@pyscript/core", "pyodide": "pyodide",
                "micropython": "@micropython/micropython-webassembly-pyscript", "mini-coi": "mini-coi"}
# npm's license names as the copyright format spells them.
DEP5_NAMES = {"mit": "Expat", "apache-2.0": "Apache-2.0", "mpl-2.0": "MPL-2.0", "isc": "ISC"}


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True)


class InstalledMetadata(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="loom-install-")
        cls.root = cls._tmp.name
        # As CPack installs: prefix /usr under a staging root.
        env = dict(os.environ, DESTDIR=cls.root)
        subprocess.run(["cmake", "--install", BUILD, "--prefix", "/usr"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        cls.share = os.path.join(cls.root, "usr", "share")
        cls.desktop_file = os.path.join(cls.share, "applications", "loom.desktop")
        cls.metainfo_files = glob.glob(os.path.join(cls.share, "metainfo", "*.metainfo.xml"))

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def desktop_entry(self) -> configparser.SectionProxy:
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # keys are case-sensitive
        parser.read(self.desktop_file, encoding="utf-8")
        return parser["Desktop Entry"]

    def metainfo(self) -> ET.Element:
        self.assertEqual(len(self.metainfo_files), 1, self.metainfo_files)
        return ET.parse(self.metainfo_files[0]).getroot()

    def test_desktopEntry_isValid(self):
        result = run("desktop-file-validate", self.desktop_file)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout + result.stderr, "", "desktop-file-validate has remarks")

    def test_desktopEntry_launchesTheInstalledLoom_withItsHicolorIcon(self):
        entry = self.desktop_entry()
        self.assertEqual(entry["Type"], "Application")
        self.assertNotIn("NoDisplay", entry)  # listed in the desktop's application menu
        self.assertIn("Development", entry["Categories"].split(";"))
        executable = entry["Exec"].split()[0]
        self.assertTrue(os.access(os.path.join(self.root, "usr", "bin", executable), os.X_OK), executable)
        icon = os.path.join(self.share, "icons", "hicolor", "scalable", "apps", entry["Icon"] + ".svg")
        self.assertTrue(os.path.isfile(icon), icon)
        self.assertEqual(ET.parse(icon).getroot().tag, "{http://www.w3.org/2000/svg}svg")

    def test_metainfo_isValid(self):
        # --no-net: CI has no internet, and the screenshots' host is a placeholder until Loom has a
        # public home (cmake/LoomPackaging.cmake); --strict: warnings fail too.
        for command in (["appstreamcli", "validate", "--no-net", "--strict", "--explain", *self.metainfo_files],
                        ["appstreamcli", "validate-tree", "--no-net", "--strict", "--explain", self.root]):
            with self.subTest(command=command[1]):
                result = run(*command)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_metainfo_namesTheDesktopEntry_theScreenshots_andThisVersion(self):
        root = self.metainfo()
        self.assertEqual(root.get("type"), "desktop-application")
        self.assertEqual(root.findtext("launchable[@type='desktop-id']"), "loom.desktop")
        self.assertTrue(root.findtext("description/p").strip())
        # The README's screenshots, each by its file name in docs/.
        images = [os.path.basename(i.text) for i in root.iterfind("screenshots/screenshot/image")]
        docs = sorted(os.path.basename(p) for p in glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "*.png")))
        self.assertEqual(sorted(images), docs)
        # The newest release is the version the installed loom prints.
        version = run(os.path.join(self.root, "usr", "bin", "loom"), "--version").stdout.strip()
        newest = root.find("releases/release")
        self.assertEqual(f"loom {newest.get('version')}", version)

    def test_manPage_rendersWithoutWarnings_andHasTheUsage(self):
        page = os.path.join(self.share, "man", "man1", "loom.1.gz")
        with gzip.open(page, "rt", encoding="utf-8") as f:
            source = f.read()
        rendered = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-P", "-cbou"], input=source,
                                  capture_output=True, text=True)
        self.assertEqual(rendered.stderr, "")
        self.assertIn("loom - IDE and playground for PyScript apps", rendered.stdout)
        self.assertIn("loom run --sample NAME --headless", rendered.stdout)
        self.assertIn("--step SPEC", rendered.stdout)

    def test_changelog_isDebians_andNamesEachMetainfoRelease(self):
        path = os.path.join(self.share, "doc", "loom", "changelog.Debian.gz")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            text = f.read()
        with tempfile.NamedTemporaryFile("w", suffix=".changelog", encoding="utf-8") as plain:
            plain.write(text)
            plain.flush()
            parsed = run("dpkg-parsechangelog", "-l", plain.name, "--show-field", "Version")
            every = run("dpkg-parsechangelog", "-l", plain.name, "--all", "--show-field", "Version")
        self.assertEqual(parsed.returncode, 0, parsed.stderr)
        releases = [(r.get("version"), r.get("date")) for r in self.metainfo().iterfind("releases/release")]
        # The newest entry is the version the installed loom prints, with the package's revision.
        version = run(os.path.join(self.root, "usr", "bin", "loom"), "--version").stdout.split()[-1]
        self.assertRegex(parsed.stdout.strip(), rf"^{re.escape(version)}-\d+$")
        self.assertEqual([v.rsplit("-", 1)[0] for v in every.stdout.split()], [v for v, _ in releases])
        self.assertEqual(text.count(" -- "), len(releases))
        # Deterministic: dated at the release, no build time in the gzip header.
        with open(path, "rb") as f:
            self.assertEqual(f.read(8)[4:8], b"\0\0\0\0")

    def copyright(self):
        from debian import copyright as dep5  # python3-debian: Debian's own reader of the format
        with open(os.path.join(self.share, "doc", "loom", "copyright"), encoding="utf-8") as f:
            return dep5.Copyright(f, strict=True)

    @staticmethod
    def license_names(paragraph) -> set[str]:
        return set(re.split(r"\s+(?:and|or)\s+", paragraph.license.synopsis.strip()))

    def test_copyright_isMachineReadable_coversEveryInstalledFile_andHasEachLicensesText(self):
        document = self.copyright()
        installed = [os.path.relpath(os.path.join(folder, name), self.root)
                     for folder, _, names in os.walk(self.root) for name in names]
        self.assertIn("usr/bin/loom", installed)
        used = set()
        for path in installed:
            paragraph = document.find_files_paragraph(path)
            self.assertIsNotNone(paragraph, path)
            used |= self.license_names(paragraph)
        texts = {p.license.synopsis: p.license.text for p in document.all_license_paragraphs()}
        for name in sorted(used):
            with self.subTest(license=name):
                self.assertTrue(texts.get(name, "").strip(), f"no stand-alone License paragraph for {name}")
                # Debian's common licenses are pointed at instead of quoted: the file must be there.
                for pointed in re.findall(r"/usr/share/common-licenses/[\w.-]+", texts[name]):
                    self.assertTrue(os.path.isfile(pointed), pointed)
        self.assertEqual(self.license_names(document.find_files_paragraph("usr/bin/loom")), {"GPL-3.0-or-later", "Expat"})
        # A software centre shows the metainfo's: the same as Loom's own code here.
        self.assertEqual(self.metainfo().findtext("project_license"),
                         document.find_files_paragraph("usr/share/loom/samples/README.md").license.synopsis)

    def test_copyright_namesEachRuntimeComponent_itsVersion_itsNpmLicense_andWhatItBundles(self):
        document = self.copyright()
        runtime = os.path.join(self.share, "loom", "runtime")
        with open(os.path.join(runtime, "runtime.json"), encoding="utf-8") as f:
            components = json.load(f)
        self.assertEqual(sorted(components), sorted(NPM_PACKAGES), "a runtime component without its npm package here")
        for name, component in components.items():
            with self.subTest(component=name):
                npm = NPM_PACKAGES[name]
                paragraph = document.find_files_paragraph(f"usr/share/loom/runtime/{component['dir']}/{component['files'][0]}")
                self.assertNotEqual(paragraph.files, ("*",), "covered only as Loom's own code")
                self.assertIn(f"{npm} {component['version']} from npm", " ".join(paragraph.comment.split()))
                with open(os.path.join(SOURCE, "node_modules", npm, "package.json"), encoding="utf-8") as f:
                    npm_license = json.load(f)["license"]
                self.assertIn(DEP5_NAMES[npm_license.lower()], self.license_names(paragraph))
        # What PyScript's bundles contain, by their source maps: each npm package named.
        pyscript = document.find_files_paragraph(f"usr/share/loom/runtime/{components['pyscript']['dir']}/core.js")
        bundled = set()
        for source_map in glob.glob(os.path.join(SOURCE, "node_modules", "@pyscript", "core", "dist", "*.map")):
            with open(source_map, encoding="utf-8") as f:
                for source in json.load(f)["sources"]:
                    found = re.search(r"node_modules/((?:@[^/]+/)?[^/]+)", source)
                    if found:
                        bundled.add(found.group(1))
        self.assertGreater(len(bundled), 20)
        comment = " ".join(pyscript.comment.split())
        for package in sorted(bundled):
            with self.subTest(bundled=package):
                self.assertRegex(comment, rf"(^|[\s,;(]){re.escape(package)}([\s,;)]|$)")


if __name__ == "__main__":
    unittest.main()
