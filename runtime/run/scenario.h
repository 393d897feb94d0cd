#pragma once

#include "runtime/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace Loom::Runtime {

// One thing a headless run does to the page, in order. Every step but a reload waits (until the
// run's time-out) for its element: a button PyScript enables once ready is clicked when enabled.
// Text checks read the element's innerText, the text as rendered: never the source of an inline
// <script>, which textContent would include.
struct ScenarioStep
{
    enum class Kind { Fill, Click, WaitFor, WaitText, Reload };
    enum class Match { Contains, Equals, Pattern }; // WaitText: how `value` is compared
    Kind kind = Kind::Click;
    QString selector;
    QString value; // Fill: the value typed; WaitText: the text, or a JavaScript pattern
    Match match = Match::Contains;
    bool negated = false; // WaitFor, WaitText: wait until the condition is false
    bool visible = false; // WaitFor: the element must also be rendered (or, negated, not)

    QString describe() const;
};

// A call the run must have made: at least one record of the call log matches it.
struct ExpectedCall
{
    QString function;
    QString worker;         // empty: any worker
    std::optional<bool> ok; // unset: either outcome
    QString contains;       // looked for in the result (ok) or the error

    QString describe() const;
};

// Lines the run's consoles must show: the Python console of each thread (the bridge) and the
// browser's own console (console.log/warn/error of JavaScript, uncaught errors, failed requests).
struct ExpectedConsoleLine
{
    enum class Level { Any, Info, Warning, Error };
    QString text;   // contained in the line
    QString thread; // empty: any; "main", "worker", "browser", or a worker's name
    Level level = Level::Any;
    std::optional<int> count; // exactly this many lines
    std::optional<int> min;   // at least (1 when neither count nor min nor max is given)
    std::optional<int> max;   // at most

    QString describe() const; // "2 lines of worker \"primes\" at level error containing \"x\""
};

// What the run must have shown once the steps are done, checked against its models.
struct Expectations
{
    QList<QPair<QString, QString>> workers; // worker name -> state name ("ready", "failed", ...)
    QList<ExpectedCall> calls;
    QList<ExpectedConsoleLine> console;
    bool allowErrors = false; // uncaught errors in the page's console do not fail the run

    // allowErrors is a switch, not a check: a scenario with only it checks nothing after the steps.
    bool isEmpty() const { return workers.isEmpty() && calls.isEmpty() && console.isEmpty(); }
    qsizetype count() const { return workers.size() + calls.size() + console.size(); }
};

struct Scenario
{
    QList<ScenarioStep> steps;
    Expectations expect;
};

// {"steps": [{"fill": "#limit", "value": "100"}, {"click": "#find"}, {"waitFor": "#chart", "visible": true},
//            {"waitText": "#output", "contains": "Found"}, {"waitText": "#status", "equals": "Done"},
//            {"waitText": "#status", "matches": "^Took \\d+ ms$"}, {"waitText": "#status", "contains": "Loading",
//             "not": true}, {"reload": true}],
//  "expect": {"workers": {"primes": "ready"}, "calls": [{"function": "find_primes", "ok": true}],
//             "console": ["78498 primes", {"text": "deprecated", "thread": "browser", "level": "warning", "count": 0}],
//             "allowErrors": false}}
// The schema is documented in samples/README.md. Unknown keys are errors: a typo must not turn a
// check off unnoticed.
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
// The command-line form (`--step SPEC`): "click:SEL", "fill:SEL=VALUE", "wait-for:SEL",
// "wait-visible:SEL", "wait-gone:SEL", "wait-hidden:SEL", "wait-text:SEL=TEXT",
// "wait-text-equals:SEL=TEXT", "wait-text-matches:SEL=PATTERN", "wait-text-not:SEL=TEXT",
// "wait-text-not-equals:SEL=TEXT", "wait-text-not-matches:SEL=PATTERN", "reload". The selector
// ends at the first "=" outside its brackets, parentheses and quotes ("html[lang=en]=x"); a selector
// whose brackets do not close is refused.
Result<ScenarioStep> parseStepSpec(const QString &spec);

// JavaScript for one attempt at a step; it evaluates to "ok", "wait" or "error: ...", and for
// WaitText to "ok:" followed by the element's text. A Reload has no script: the runner reloads.
QString stepScript(const ScenarioStep &step);

} // namespace Loom::Runtime
