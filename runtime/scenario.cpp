#include "scenario.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

namespace {
QString jsString(const QString &text)
{
    return QString::fromStdString(nlohmann::json(text.toStdString()).dump());
}

QString fromJson(const nlohmann::json &value, const char *key)
{
    const auto it = value.find(key);
    if (it == value.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}
} // namespace

QString ScenarioStep::describe() const
{
    switch (kind) {
    case Kind::Fill:
        return QStringLiteral("fill %1 with \"%2\"").arg(selector, value);
    case Kind::Click:
        return QStringLiteral("click %1").arg(selector);
    case Kind::WaitText:
        return QStringLiteral("wait until %1 contains \"%2\"").arg(selector, value);
    }
    return {};
}

Result<Scenario> parseScenario(const QByteArray &json)
{
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json.toStdString());
    } catch (const nlohmann::json::parse_error &error) {
        return failure(QStringLiteral("The scenario is not valid JSON: %1").arg(QString::fromUtf8(error.what())));
    }
    const auto steps = document.is_object() ? document.find("steps") : document.end();
    if (steps == document.end() || !steps->is_array())
        return failure(QStringLiteral("The scenario needs a \"steps\" list."));

    Scenario scenario;
    int index = 0;
    for (const auto &entry : *steps) {
        ++index;
        if (!entry.is_object())
            return failure(QStringLiteral("Scenario step %1 is not an object.").arg(index));
        ScenarioStep step;
        if (const QString fill = fromJson(entry, "fill"); !fill.isEmpty()) {
            step = {ScenarioStep::Kind::Fill, fill, fromJson(entry, "value")};
            if (!entry.contains("value"))
                return failure(QStringLiteral("Scenario step %1 (fill) needs a \"value\".").arg(index));
        } else if (const QString click = fromJson(entry, "click"); !click.isEmpty()) {
            step = {ScenarioStep::Kind::Click, click, {}};
        } else if (const QString wait = fromJson(entry, "waitText"); !wait.isEmpty()) {
            step = {ScenarioStep::Kind::WaitText, wait, fromJson(entry, "contains")};
        } else {
            return failure(QStringLiteral("Scenario step %1 needs one of \"fill\", \"click\" or \"waitText\" "
                                          "with a CSS selector.")
                               .arg(index));
        }
        scenario.steps.append(step);
    }
    return scenario;
}

Result<ScenarioStep> parseStepSpec(const QString &spec)
{
    const qsizetype colon = spec.indexOf(u':');
    const QString verb = spec.left(colon);
    const QString rest = colon < 0 ? QString() : spec.mid(colon + 1);
    const qsizetype equals = rest.indexOf(u'=');
    if (verb == u"click" && !rest.isEmpty())
        return ScenarioStep{ScenarioStep::Kind::Click, rest, {}};
    if ((verb == u"fill" || verb == u"wait-text") && equals > 0) {
        const auto kind = verb == u"fill" ? ScenarioStep::Kind::Fill : ScenarioStep::Kind::WaitText;
        return ScenarioStep{kind, rest.left(equals), rest.mid(equals + 1)};
    }
    return failure(QStringLiteral("\"%1\" is not a step: use fill:SELECTOR=VALUE, click:SELECTOR or "
                                  "wait-text:SELECTOR=TEXT.")
                       .arg(spec));
}

QString stepScript(const ScenarioStep &step)
{
    const QString find = QStringLiteral("const e = document.querySelector(%1); if (!e) return 'wait';").arg(jsString(step.selector));
    QString body;
    switch (step.kind) {
    case ScenarioStep::Kind::Fill:
        body = QStringLiteral("if (e.disabled) return 'wait'; e.value = %1;"
                              "e.dispatchEvent(new Event('input', {bubbles: true}));"
                              "e.dispatchEvent(new Event('change', {bubbles: true})); return 'ok';")
                   .arg(jsString(step.value));
        break;
    case ScenarioStep::Kind::Click:
        body = QStringLiteral("if (e.disabled) return 'wait'; e.click(); return 'ok';");
        break;
    case ScenarioStep::Kind::WaitText:
        body = QStringLiteral("const t = e.textContent || ''; return t.includes(%1) ? 'ok:' + t : 'wait';")
                   .arg(jsString(step.value));
        break;
    }
    return QStringLiteral("(() => { try { %1 %2 } catch (x) { return 'error: ' + x; } })()").arg(find, body);
}

} // namespace Loom::Runtime
