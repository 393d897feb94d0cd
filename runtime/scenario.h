#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace Loom::Runtime {

// One thing a headless run does to the page, in order. Every step waits (until the run's
// time-out) for its element: a button PyScript enables once ready is clicked when enabled.
struct ScenarioStep
{
    enum class Kind { Fill, Click, WaitText };
    Kind kind = Kind::Click;
    QString selector;
    QString value; // Fill: the value typed; WaitText: the text the element must contain

    QString describe() const;
};

// A call the run must have made: at least one record of the call log matches it.
struct ExpectedCall
{
    QString function;
    QString worker;          // empty: any worker
    std::optional<bool> ok;  // unset: either outcome
    QString contains;        // looked for in the result (ok) or the error

    QString describe() const;
};

// What the run must have shown once the steps are done, checked against its models.
struct Expectations
{
    QList<QPair<QString, QString>> workers; // worker name -> state name ("ready", "failed", ...)
    QList<ExpectedCall> calls;
    QStringList console;                    // each in some console line
    bool allowErrors = false;               // Python errors in the page's console do not fail the run

    bool isEmpty() const { return workers.isEmpty() && calls.isEmpty() && console.isEmpty(); }
    qsizetype count() const { return workers.size() + calls.size() + console.size(); }
};

struct Scenario
{
    QList<ScenarioStep> steps;
    Expectations expect;
};

// {"steps": [{"fill": "#limit", "value": "100"}, {"click": "#find"},
//            {"waitText": "#output", "contains": "Found"}],
//  "expect": {"workers": {"primes": "ready"}, "calls": [{"function": "find_primes", "ok": true}],
//             "console": ["78498 primes"], "allowErrors": false}}
// Unknown keys are errors: a typo must not turn a check off unnoticed.
Result<Scenario> parseScenario(const QByteArray &json);
// The same from a parsed value; errors name `where` ("the scenario", "sample.json: scenario").
Result<Scenario> parseScenario(const nlohmann::json &value, const QString &where);

// Where a JSON parse error stands in its text. nlohmann's parse_error::byte counts from 1 and
// points just past the offending byte; line and column count from 1, the column in characters.
struct TextPosition
{
    int line = 1;
    int column = 1;
    QString toString() const; // "line L, column C"
};
TextPosition parseErrorPosition(const QByteArray &text, std::size_t errorByte);
// The command-line form: "fill:#limit=100", "click:#find", "wait-text:#output=Found".
Result<ScenarioStep> parseStepSpec(const QString &spec);

// JavaScript for one attempt at a step; it evaluates to "ok", "wait" or "error: ...", and for
// WaitText to "ok:" followed by the element's text.
QString stepScript(const ScenarioStep &step);

} // namespace Loom::Runtime
