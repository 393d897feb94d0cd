#pragma once

#include <QObject>

namespace Loom::TestSupport {

// The seam tests and benches reach the IDE's window through: its parts are children in the Qt
// object tree (docks, the preview, the editors, the checker, the models), found by type, so the
// window exposes no accessors for them. Fails the calling test (and returns nullptr) when absent.
template<typename Part>
Part *part(const QObject &window)
{
    Part *found = window.findChild<Part *>();
    if (!found)
        qWarning("the window has no %s", Part::staticMetaObject.className());
    return found;
}

} // namespace Loom::TestSupport
