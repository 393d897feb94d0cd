# Loom as installed software, beyond bin/loom and share/loom (LoomRuntimeFiles.cmake): the desktop
# entry, its icon, the AppStream metainfo, the man page, and CPack's Debian package of the whole
# install tree (./dev.sh package). As in the rest of the build, build/share mirrors the install
# tree. packaging/check-deb.sh installs the package into a clean Debian 13 and runs it there;
# tests/package checks the metadata.

# The AppStream ID is permanent once published (changing it needs <replaces>), and Loom has no
# public home yet: the ID and the two URLs are placeholders to settle before a release. The
# placeholder host is on .invalid (RFC 2606), which never resolves, so nothing points at a host
# Loom does not own; the metadata stays valid (appstreamcli validates offline, as CI must).
set(LOOM_APP_ID io.github.loom_ide.loom)
set(LOOM_DEVELOPER_ID io.github.loom_ide)
set(LOOM_HOMEPAGE_URL "https://loom.invalid"
    CACHE STRING "Loom's public home: the AppStream homepage and the package's Homepage")
set(LOOM_SCREENSHOTS_URL ""
    CACHE STRING "Where docs/*.png are published (empty: <LOOM_HOMEPAGE_URL>/raw/v<version>/docs)")
if(LOOM_SCREENSHOTS_URL)
    set(screenshots_url ${LOOM_SCREENSHOTS_URL})
else()
    # Pinned to the version, so a software centre shows the window of the release it describes.
    set(screenshots_url ${LOOM_HOMEPAGE_URL}/raw/v${PROJECT_VERSION}/docs)
endif()

# loom.desktop, not <app id>.desktop: the window must match its entry to get its icon in docks and
# task bars, and Qt names it after the executable (Wayland app_id "loom", X11 WM_CLASS
# "loom"/"Loom") while main.cpp sets no desktop file name. The metainfo points at it (launchable).
set(share_out ${CMAKE_BINARY_DIR}/share)
configure_file(${PROJECT_SOURCE_DIR}/packaging/loom.desktop ${share_out}/applications/loom.desktop COPYONLY)
configure_file(${PROJECT_SOURCE_DIR}/packaging/loom.svg ${share_out}/icons/hicolor/scalable/apps/loom.svg COPYONLY)
configure_file(${PROJECT_SOURCE_DIR}/packaging/loom.metainfo.xml.in
               ${share_out}/metainfo/${LOOM_APP_ID}.metainfo.xml @ONLY)
install(FILES ${share_out}/applications/loom.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${share_out}/icons/hicolor/scalable/apps/loom.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${share_out}/metainfo/${LOOM_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

# loom(1), from the help of the loom just built, so it never drifts from the code.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(manpage ${share_out}/man/man1/loom.1.gz)
add_custom_command(OUTPUT ${manpage}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${share_out}/man/man1
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/packaging/manpage.py --loom $<TARGET_FILE:loom>
            --summary ${PROJECT_DESCRIPTION} --output ${manpage}
    DEPENDS loom ${PROJECT_SOURCE_DIR}/packaging/manpage.py
    COMMENT "Writing loom(1) from loom --help" VERBATIM)
add_custom_target(loom_manpage ALL DEPENDS ${manpage})
install(FILES ${manpage} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# Who holds what in the package, and under which terms: Loom's own code, the two header-only
# libraries compiled into the executable, and the vendored runtime with what its bundles contain
# (machine-readable, as Debian writes it; tests/package parses it and checks it covers every
# installed file, each runtime component under its npm package's license). Mirrored in build/share
# like the rest of the tree: the About box links it, from the build tree too.
configure_file(${PROJECT_SOURCE_DIR}/packaging/copyright ${share_out}/doc/loom/copyright COPYONLY)
install(FILES ${share_out}/doc/loom/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/loom)

# The .deb: build/package/loom_<version>-1_<arch>.deb. The library dependencies come from
# dpkg-shlibdeps on the installed binary (Qt, QtWebEngine, QScintilla, libpython, libzip, ...), at
# the versions of the distribution it was built on; what no ELF file names is listed below.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME loom)
set(CPACK_PACKAGE_VENDOR "The Loom developers")
set(CPACK_PACKAGE_CONTACT "Loom maintainers <maintainers@users.noreply.r-seed-1e963af1.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY ${PROJECT_DESCRIPTION})
# Its lines as they show in `apt show loom` (Debian keeps them under 80 columns).
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
    "Loom is a desktop playground and IDE for PyScript apps that do their heavy"
    "work in web workers. It serves a project from its own loopback server with"
    "the isolation headers workers need, runs it offline in an embedded"
    "QtWebEngine with a vendored PyScript, Pyodide and MicroPython, and shows"
    "what the workers do. Everything it does in the window it can also do"
    "headless (loom run --headless), for the CI of PyScript apps.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The dev build is RelWithDebInfo: the package gets the same code without its debug sections.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${LOOM_HOMEPAGE_URL})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Completion imports Jedi in the embedded CPython (resources/python/loom_complete.py): a Python
# module, invisible to dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_DEPENDS python3-jedi)
# Pyodide's and PyPI's packages are fetched over HTTPS with OpenSSL's default CA store.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_THREADS 0)

# usr/share/doc/loom/changelog.Debian.gz, which Debian requires of every package: the metainfo's
# releases as Debian changelog entries (packaging/changelog.py), so the two say the same.
set(changelog ${share_out}/doc/loom/changelog.Debian.gz)
set(metainfo ${share_out}/metainfo/${LOOM_APP_ID}.metainfo.xml)
add_custom_command(OUTPUT ${changelog}
    COMMAND ${Python3_EXECUTABLE} -B ${PROJECT_SOURCE_DIR}/packaging/changelog.py --metainfo ${metainfo}
            --package ${CPACK_PACKAGE_NAME} --revision ${CPACK_DEBIAN_PACKAGE_RELEASE}
            --maintainer ${CPACK_PACKAGE_CONTACT} --output ${changelog}
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog.py ${metainfo}
    COMMENT "Writing the package's changelog from the metainfo's releases" VERBATIM)
add_custom_target(loom_changelog ALL DEPENDS ${changelog})
install(FILES ${changelog} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/loom)
# Lintian's overrides, each with its reason (`./dev.sh test` runs lintian on the package).
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME loom)
include(CPack)
