#include "expectations.h"

#include "pagesession.h"

namespace Loom::Runtime {

using namespace Qt::StringLiterals;

namespace {
bool matches(const ExpectedCall &expected, const CallRecord &call)
{
    if (call.function != expected.function || (!expected.worker.isEmpty() && call.workerName != expected.worker))
        return false;
    if (expected.ok && (!call.finished || call.ok != *expected.ok))
        return false;
    if (expected.contains.isEmpty())
        return true;
    return call.result.contains(expected.contains) || call.error.contains(expected.contains);
}

// What the run did instead, for the message: the calls to that function, or all the functions called.
QString seenInstead(const ExpectedCall &expected, const CallLog &calls)
{
    QStringList seen;
    for (qsizetype i = 0; i < calls.size() && seen.size() < 3; ++i) {
        const CallRecord &call = calls.at(i);
        if (call.function != expected.function)
            continue;
        const QString outcome = !call.finished ? u"still running"_s
                                : call.ok      ? u"returned %1"_s.arg(call.result.left(80))
                                               : u"failed: %1"_s.arg(errorSummary(call.error).left(80));
        seen.append(u"%1.%2() %3"_s.arg(call.workerName, call.function, outcome));
    }
    if (!seen.isEmpty())
        return seen.join(u"; "_s);
    QStringList functions;
    for (qsizetype i = 0; i < calls.size(); ++i) {
        if (!functions.contains(calls.at(i).function))
            functions.append(calls.at(i).function);
    }
    return functions.isEmpty() ? u"no call was made"_s : u"calls made: %1"_s.arg(functions.join(u", "_s));
}
} // namespace

QStringList unmetExpectations(const Expectations &expect, const PageSession &session)
{
    QStringList unmet;
    for (const auto &[name, state] : expect.workers) {
        const WorkerInfo *worker = session.workers().findByName(name);
        if (!worker)
            unmet.append(u"worker \"%1\" should be %2, but the page never started it."_s.arg(name, state));
        else if (workerStateName(worker->state) != state)
            unmet.append(u"worker \"%1\" should be %2, but it is %3%4."_s.arg(
                name, state, workerStateName(worker->state),
                worker->lastError.isEmpty() ? QString() : u" (%1)"_s.arg(errorSummary(worker->lastError))));
    }
    const CallLog &calls = session.calls();
    for (const ExpectedCall &expected : expect.calls) {
        bool found = false;
        for (qsizetype i = 0; i < calls.size() && !found; ++i)
            found = matches(expected, calls.at(i));
        if (!found)
            unmet.append(u"no call %1 (%2)."_s.arg(expected.describe(), seenInstead(expected, calls)));
    }
    const QList<ConsoleEntry> lines = session.console().entries();
    for (const QString &text : expect.console) {
        const bool found = std::any_of(lines.cbegin(), lines.cend(), [&text](const ConsoleEntry &line) { return line.text.contains(text); });
        if (!found)
            unmet.append(u"no console line contains \"%1\"."_s.arg(text));
    }
    return unmet;
}

} // namespace Loom::Runtime
