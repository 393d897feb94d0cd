#include "tests/support/page.h"

#include "tests/support/wait.h"

#include <QDebug>
#include <QWebEnginePage>

#include <memory>

namespace Loom::TestSupport {

std::optional<QVariant> evaluateWithin(QWebEnginePage *page, const QString &script, int timeoutMs)
{
    // Shared with the callback, which outlives this call when the page answers after the time-out.
    struct Answer
    {
        bool done = false;
        QVariant value;
    };
    auto answer = std::make_shared<Answer>();
    page->runJavaScript(script, [answer](const QVariant &value) {
        answer->value = value;
        answer->done = true;
    });
    if (!waitFor([&] { return answer->done; }, timeoutMs))
        return std::nullopt;
    return answer->value;
}

QVariant evaluate(QWebEnginePage *page, const QString &script)
{
    const std::optional<QVariant> value = evaluateWithin(page, script, 10'000);
    if (!value)
        qWarning() << "no answer from the page for" << script;
    return value.value_or(QVariant());
}

} // namespace Loom::TestSupport
