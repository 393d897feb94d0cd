#pragma once
// A real page in QtWebEngine, driven from a test or a bench.
#include <QString>
#include <QVariant>

#include <optional>

class QWebEnginePage;

namespace Loom::TestSupport {

// Runs `script` in the page's main world and waits, in an event loop (waitFor), for its result:
// nullopt when the page gave none within timeoutMs (a renderer gone, a page navigating away). A
// script whose value is undefined answers with an invalid QVariant.
std::optional<QVariant> evaluateWithin(QWebEnginePage *page, const QString &script, int timeoutMs);

// evaluateWithin() in 10 s, for a test's QTRY_ checks: no answer warns and gives an invalid
// QVariant, which the check then fails on (or tries again).
QVariant evaluate(QWebEnginePage *page, const QString &script);

} // namespace Loom::TestSupport
