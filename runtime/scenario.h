#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>

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

struct Scenario
{
    QList<ScenarioStep> steps;
};

// {"steps": [{"fill": "#limit", "value": "100"}, {"click": "#find"},
//            {"waitText": "#output", "contains": "Found"}]}
Result<Scenario> parseScenario(const QByteArray &json);
// The command-line form: "fill:#limit=100", "click:#find", "wait-text:#output=Found".
Result<ScenarioStep> parseStepSpec(const QString &spec);

// JavaScript for one attempt at a step; it evaluates to "ok", "wait" or "error: ...", and for
// WaitText to "ok:" followed by the element's text.
QString stepScript(const ScenarioStep &step);

} // namespace Loom::Runtime
