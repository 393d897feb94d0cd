"""Loom as a desktop sees it once installed: `cmake --install` of the build into a staging root,
then the checks a distribution and a software centre make on it. The .deb itself is installed
into a clean Debian 13 and run by packaging/check-deb.sh.

    python3 -m unittest test_installed_metadata    (LOOM_BUILD_DIR: the build to install)
"""

from __future__ import annotations

import configparser
import glob
import gzip
import os
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

BUILD = os.environ["LOOM_BUILD_DIR"]


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


if __name__ == "__main__":
    unittest.main()
