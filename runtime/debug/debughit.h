#pragma once

#include "runtime/result.h"

#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

#include <optional>
#include <string_view>

namespace Loom::Runtime {

// A debug run's thread reached a breakpoint or a log point (resources/bridge/loom_debug.py sends
// it). Untrusted like every page event: bounded and validated when parsed.
struct DebugHit
{
    using Variables = QList<QPair<QString, QString>>; // name, repr (cut at 200 characters)
    struct Frame
    {
        QString file;
        int line = 0;
        QString function;
        Variables locals = {}; // an outer frame's (the innermost frame's are the hit's)
        int folded = 0;        // runtime frames (PyScript's, Pyodide's) between it and the inner one
    };
    // What the user asked a paused thread to evaluate, and its answer.
    struct Evaluation
    {
        QString expression;
        QString value;
        QString error;
        int frame = 0; // index in stack
    };
    QString thread; // "worker:primes", "main:py"
    QString file;   // the breakpoint's
    int line = 0;
    QString function;
    QList<Frame> stack;                  // innermost first: the project's frames only
    int foldedOuter = 0;                 // runtime frames below the outermost (what called the project)
    Variables locals;                    // the innermost frame's
    QMap<QString, Variables> parts;      // a local's items or attributes, one level down
    Variables globals;                   // its module's (modules left out)
    QString localsMissing;               // why there are no locals (an interpreter without them)
    QString log;                         // a log point's expression
    QString value;                       // its value's repr
    QString error;                       // the condition's or the expression's exception
    QString unavailable;                 // the thread cannot be debugged, and why
    QString notice;                      // what the thread's debugger cannot do (and goes on)
    QString exception;                   // paused at an exception: "ValueError: too big"
    QString exceptionKind;               // "uncaught" or "raised"
    std::optional<Evaluation> evaluated; // paused again after evaluating this
    bool lastRecorded = false;           // the breakpoint's last recorded hit (the page records 100)
    double t = 0;                        // when Loom received it (ms since the epoch)
};

Result<DebugHit> parseDebugHit(std::string_view json);

} // namespace Loom::Runtime
