# Copies the PyScript runtime that `npm ci` vendored into node_modules/ to
# share/loom/runtime/<package>-<version>/ and writes runtime.json, the manifest Loom reads at
# start-up. Source maps are left out; everything PyScript may import on demand is kept.
set(LOOM_NODE_MODULES ${CMAKE_SOURCE_DIR}/node_modules)
if(NOT EXISTS ${LOOM_NODE_MODULES}/@pyscript/core/package.json)
    message(FATAL_ERROR "node_modules/ is missing: run ./dev.sh setup (it runs npm ci) first.")
endif()

function(loom_package_version out dir)
    file(READ ${LOOM_NODE_MODULES}/${dir}/package.json json)
    string(JSON version GET "${json}" version)
    set(${out} ${version} PARENT_SCOPE)
endfunction()

loom_package_version(LOOM_PYSCRIPT_VERSION @pyscript/core)
loom_package_version(LOOM_PYODIDE_VERSION pyodide)
loom_package_version(LOOM_MICROPYTHON_VERSION @micropython/micropython-webassembly-pyscript)
loom_package_version(LOOM_MINICOI_VERSION mini-coi)

# pyscript.net names releases by date, npm by version: pages ask for
# https://pyscript.net/releases/2026.7.3/core.js, which is @pyscript/core 0.7.31 (PyScript's last
# release). Loom needs the pair to tell a real version mismatch from the same release.
set(LOOM_PYSCRIPT_RELEASES "0.7.31=2026.7.3")
set(LOOM_PYSCRIPT_RELEASE "")
foreach(pair IN LISTS LOOM_PYSCRIPT_RELEASES)
    string(REPLACE "=" ";" pair "${pair}")
    list(GET pair 0 v)
    list(GET pair 1 tag)
    if(v STREQUAL LOOM_PYSCRIPT_VERSION)
        set(LOOM_PYSCRIPT_RELEASE ${tag})
    endif()
endforeach()
if(NOT LOOM_PYSCRIPT_RELEASE)
    message(FATAL_ERROR "@pyscript/core ${LOOM_PYSCRIPT_VERSION}: add its pyscript.net release tag to LOOM_PYSCRIPT_RELEASES")
endif()

set(core_dir ${LOOM_NODE_MODULES}/@pyscript/core/dist)
file(GLOB core_files RELATIVE ${core_dir} CONFIGURE_DEPENDS ${core_dir}/*.js ${core_dir}/*.css)
set(pyodide_files pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json)
set(mpy_dir ${LOOM_NODE_MODULES}/@micropython/micropython-webassembly-pyscript)
file(GLOB mpy_files RELATIVE ${mpy_dir} CONFIGURE_DEPENDS ${mpy_dir}/*.mjs ${mpy_dir}/*.wasm)

set(runtime_out ${LOOM_SHARE_DIR}/runtime)
set(LOOM_RUNTIME_MANIFEST "{}")
set(LOOM_RUNTIME_OUTPUTS)

# loom_runtime_component(KEY VERSION SOURCE_DIR FILE...): copies FILEs to <KEY>-<VERSION>/.
function(loom_runtime_component key version src)
    set(subdir ${key}-${version})
    set(file_array "[]")
    set(i 0)
    foreach(f IN LISTS ARGN)
        add_custom_command(OUTPUT ${runtime_out}/${subdir}/${f}
            COMMAND ${CMAKE_COMMAND} -E copy_if_different ${src}/${f} ${runtime_out}/${subdir}/${f}
            DEPENDS ${src}/${f} VERBATIM)
        list(APPEND LOOM_RUNTIME_OUTPUTS ${runtime_out}/${subdir}/${f})
        string(JSON file_array SET "${file_array}" ${i} "\"${f}\"")
        math(EXPR i "${i} + 1")
    endforeach()
    set(release "")
    if(key STREQUAL "pyscript")
        set(release ", \"release\": \"${LOOM_PYSCRIPT_RELEASE}\"")
    endif()
    string(JSON manifest SET "${LOOM_RUNTIME_MANIFEST}" ${key}
        "{\"dir\": \"${subdir}\", \"version\": \"${version}\"${release}, \"files\": ${file_array}}")
    set(LOOM_RUNTIME_MANIFEST "${manifest}" PARENT_SCOPE)
    set(LOOM_RUNTIME_OUTPUTS "${LOOM_RUNTIME_OUTPUTS}" PARENT_SCOPE)
endfunction()

loom_runtime_component(pyscript ${LOOM_PYSCRIPT_VERSION} ${core_dir} ${core_files})
loom_runtime_component(pyodide ${LOOM_PYODIDE_VERSION} ${LOOM_NODE_MODULES}/pyodide ${pyodide_files})
loom_runtime_component(micropython ${LOOM_MICROPYTHON_VERSION} ${mpy_dir} ${mpy_files})

# Pyodide's standard library with each module's bytecode, compiled by this Pyodide in node
# (cmake/precompile_stdlib.mjs): the dev server answers python_stdlib.zip with it, so a page's
# interpreter does not compile the modules it imports at start-up. Not one of the component's
# files: an export ships npm's archive (unless --compiled-stdlib).
find_program(LOOM_NODE node REQUIRED)
set(pyodide_out ${runtime_out}/pyodide-${LOOM_PYODIDE_VERSION})
set(stdlib_compiled python_stdlib.pyc.zip)
add_custom_command(OUTPUT ${pyodide_out}/${stdlib_compiled}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${pyodide_out}
    COMMAND ${LOOM_NODE} ${CMAKE_SOURCE_DIR}/cmake/precompile_stdlib.mjs ${LOOM_NODE_MODULES}/pyodide
            ${pyodide_out}/${stdlib_compiled}
    DEPENDS ${CMAKE_SOURCE_DIR}/cmake/precompile_stdlib.mjs
            ${LOOM_NODE_MODULES}/pyodide/python_stdlib.zip ${LOOM_NODE_MODULES}/pyodide/pyodide.asm.wasm
            ${LOOM_NODE_MODULES}/pyodide/pyodide.asm.mjs ${LOOM_NODE_MODULES}/pyodide/pyodide.mjs
    COMMENT "Compiling Pyodide's standard library" VERBATIM)
list(APPEND LOOM_RUNTIME_OUTPUTS ${pyodide_out}/${stdlib_compiled})
string(JSON LOOM_RUNTIME_MANIFEST SET "${LOOM_RUNTIME_MANIFEST}" pyodide precompiledStdlib "\"${stdlib_compiled}\"")
loom_runtime_component(mini-coi ${LOOM_MINICOI_VERSION} ${LOOM_NODE_MODULES}/mini-coi mini-coi.js)

# Each component's NOTICES.txt: who holds its files and the whole text of their licenses, from
# packaging/copyright (cmake/runtime_notices.py). Exports ship it beside the component's files;
# not one of `files`, which are the URLs the runtime answers as npm does.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
execute_process(COMMAND ${Python3_EXECUTABLE} -c "import debian.copyright" RESULT_VARIABLE no_python_debian
                OUTPUT_QUIET ERROR_QUIET)
if(no_python_debian)
    message(FATAL_ERROR "${Python3_EXECUTABLE} cannot import debian.copyright: install python3-debian "
                        "(./dev.sh installs it), which reads packaging/copyright for the runtime's NOTICES.txt.")
endif()
set(notice_dirs)
set(notice_files)
foreach(key pyscript pyodide micropython mini-coi)
    string(JSON dir GET "${LOOM_RUNTIME_MANIFEST}" ${key} dir)
    list(APPEND notice_dirs ${dir})
    list(APPEND notice_files ${runtime_out}/${dir}/NOTICES.txt)
    string(JSON LOOM_RUNTIME_MANIFEST SET "${LOOM_RUNTIME_MANIFEST}" ${key} notices "\"NOTICES.txt\"")
endforeach()
add_custom_command(OUTPUT ${notice_files}
    COMMAND ${Python3_EXECUTABLE} -B ${CMAKE_SOURCE_DIR}/cmake/runtime_notices.py
            ${CMAKE_SOURCE_DIR}/packaging/copyright ${runtime_out} ${notice_dirs}
    DEPENDS ${CMAKE_SOURCE_DIR}/cmake/runtime_notices.py ${CMAKE_SOURCE_DIR}/packaging/copyright
    COMMENT "Writing the runtime's license notices" VERBATIM)
list(APPEND LOOM_RUNTIME_OUTPUTS ${notice_files})
file(GENERATE OUTPUT ${runtime_out}/runtime.json CONTENT "${LOOM_RUNTIME_MANIFEST}\n")

add_custom_target(loom_runtime_files ALL DEPENDS ${LOOM_RUNTIME_OUTPUTS})
install(DIRECTORY ${runtime_out}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/loom/runtime)

# Samples are read in place in the build tree (a link), copied on install.
file(MAKE_DIRECTORY ${LOOM_SHARE_DIR})
file(CREATE_LINK ${CMAKE_SOURCE_DIR}/samples ${LOOM_SHARE_DIR}/samples SYMBOLIC)
# Loom's Python modules (checks, completion) and the pyscript stubs Jedi reads.
file(CREATE_LINK ${CMAKE_SOURCE_DIR}/resources/python ${LOOM_SHARE_DIR}/python SYMBOLIC)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/resources/python/ DESTINATION ${CMAKE_INSTALL_DATADIR}/loom/python
        PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/samples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/loom/samples)
