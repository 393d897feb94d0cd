#pragma once

#include "runtime/result.h"

#include <QList>
#include <QPair>
#include <QString>

#include <string_view>

namespace Loom::Runtime {

// A debug run's thread reached a breakpoint or a log point (resources/bridge/loom_debug.py sends
// it). Untrusted like every page event: bounded and validated when parsed.
struct DebugHit
{
    struct Frame
    {
        QString file;
        int line = 0;
        QString function;
    };
    QString thread; // "worker:primes", "main:py"
    QString file;   // the breakpoint's
    int line = 0;
    QString function;
    QList<Frame> stack;                    // innermost first: the project's frames only
    QList<QPair<QString, QString>> locals; // name, repr (cut at 200 characters)
    QString localsMissing;                 // why there are no locals (an interpreter without them)
    QString log;                           // a log point's expression
    QString value;                         // its value's repr
    QString error;                         // the condition's or the expression's exception
    QString unavailable;                   // the thread cannot be debugged, and why
    bool lastRecorded = false;             // the breakpoint's last recorded hit (the page records 100)
    double t = 0;                          // when Loom received it (ms since the epoch)
};

Result<DebugHit> parseDebugHit(std::string_view json);

} // namespace Loom::Runtime
