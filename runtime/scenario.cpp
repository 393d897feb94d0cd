#include "scenario.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

using namespace Qt::StringLiterals;

namespace {
using Json = nlohmann::json;

QString jsString(const QString &text)
{
    return QString::fromStdString(Json(text.toStdString()).dump());
}

// A validation error; thrown inside the parser, returned as its failure.
struct Invalid
{
    QString message;
};

const QStringList WorkerStates = {u"starting"_s, u"loading"_s, u"ready"_s, u"busy"_s, u"failed"_s, u"stopped"_s};

void onlyKnownKeys(const Json &object, const QStringList &known, const QString &where)
{
    for (const auto &[key, value] : object.items()) {
        if (!known.contains(QString::fromStdString(key)))
            throw Invalid{u"%1 has an unknown key \"%2\" (known: %3)."_s.arg(where, QString::fromStdString(key), known.join(u", "))};
    }
}

// The string at `key`: std::nullopt when absent; an error when present and not a string, or empty.
std::optional<QString> stringAt(const Json &object, const char *key, const QString &where)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (!it->is_string() || it->get_ref<const std::string &>().empty())
        throw Invalid{u"%1: \"%2\" must be a non-empty string."_s.arg(where, QString::fromLatin1(key))};
    return QString::fromStdString(it->get<std::string>());
}

ScenarioStep parseStep(const Json &entry, const QString &where)
{
    if (!entry.is_object())
        throw Invalid{u"%1 is not an object."_s.arg(where)};
    const auto fill = stringAt(entry, "fill", where);
    const auto click = stringAt(entry, "click", where);
    const auto wait = stringAt(entry, "waitText", where);
    if (int(fill.has_value()) + int(click.has_value()) + int(wait.has_value()) != 1)
        throw Invalid{u"%1 needs one of \"fill\", \"click\" or \"waitText\" with a CSS selector."_s.arg(where)};
    if (fill) {
        onlyKnownKeys(entry, {u"fill"_s, u"value"_s}, where);
        const auto value = entry.find("value");
        if (value == entry.end() || !value->is_string())
            throw Invalid{u"%1 (fill) needs a \"value\" string."_s.arg(where)};
        return {ScenarioStep::Kind::Fill, *fill, QString::fromStdString(value->get<std::string>())};
    }
    if (click) {
        onlyKnownKeys(entry, {u"click"_s}, where);
        return {ScenarioStep::Kind::Click, *click, {}};
    }
    onlyKnownKeys(entry, {u"waitText"_s, u"contains"_s}, where);
    const auto contains = entry.find("contains");
    if (contains != entry.end() && !contains->is_string())
        throw Invalid{u"%1 (waitText): \"contains\" must be a string."_s.arg(where)};
    return {ScenarioStep::Kind::WaitText, *wait, contains == entry.end() ? QString() : QString::fromStdString(contains->get<std::string>())};
}

Expectations parseExpectations(const Json &value, const QString &where)
{
    if (!value.is_object())
        throw Invalid{u"%1 must be an object."_s.arg(where)};
    onlyKnownKeys(value, {u"workers"_s, u"calls"_s, u"console"_s, u"allowErrors"_s}, where);
    Expectations expect;
    if (const auto workers = value.find("workers"); workers != value.end()) {
        if (!workers->is_object())
            throw Invalid{u"%1: \"workers\" must map worker names to states."_s.arg(where)};
        for (const auto &[name, state] : workers->items()) {
            const QString stateName = state.is_string() ? QString::fromStdString(state.get<std::string>()) : QString();
            if (!WorkerStates.contains(stateName))
                throw Invalid{u"%1: worker \"%2\" must be expected in one of the states %3."_s.arg(where, QString::fromStdString(name), WorkerStates.join(u", "))};
            expect.workers.append({QString::fromStdString(name), stateName});
        }
    }
    if (const auto calls = value.find("calls"); calls != value.end()) {
        if (!calls->is_array())
            throw Invalid{u"%1: \"calls\" must be a list."_s.arg(where)};
        int index = 0;
        for (const Json &entry : *calls) {
            const QString at = u"%1: call %2"_s.arg(where).arg(++index);
            if (!entry.is_object())
                throw Invalid{u"%1 is not an object."_s.arg(at)};
            onlyKnownKeys(entry, {u"function"_s, u"worker"_s, u"ok"_s, u"contains"_s}, at);
            ExpectedCall call;
            const auto function = stringAt(entry, "function", at);
            if (!function)
                throw Invalid{u"%1 needs a \"function\" name."_s.arg(at)};
            call.function = *function;
            call.worker = stringAt(entry, "worker", at).value_or(QString());
            call.contains = stringAt(entry, "contains", at).value_or(QString());
            if (const auto ok = entry.find("ok"); ok != entry.end()) {
                if (!ok->is_boolean())
                    throw Invalid{u"%1: \"ok\" must be true or false."_s.arg(at)};
                call.ok = ok->get<bool>();
            }
            expect.calls.append(call);
        }
    }
    if (const auto console = value.find("console"); console != value.end()) {
        if (!console->is_array())
            throw Invalid{u"%1: \"console\" must be a list of strings."_s.arg(where)};
        for (const Json &line : *console) {
            if (!line.is_string() || line.get_ref<const std::string &>().empty())
                throw Invalid{u"%1: \"console\" must be a list of non-empty strings."_s.arg(where)};
            expect.console.append(QString::fromStdString(line.get<std::string>()));
        }
    }
    if (const auto allow = value.find("allowErrors"); allow != value.end()) {
        if (!allow->is_boolean())
            throw Invalid{u"%1: \"allowErrors\" must be true or false."_s.arg(where)};
        expect.allowErrors = allow->get<bool>();
    }
    return expect;
}
} // namespace

QString ExpectedCall::describe() const
{
    QString text = (worker.isEmpty() ? QString() : worker + u'.') + function + u"()"_s;
    if (ok)
        text += *ok ? u" succeeding"_s : u" failing"_s;
    if (!contains.isEmpty())
        text += u" with \"%1\" in its %2"_s.arg(contains, !ok ? u"result or error"_s : *ok ? u"result"_s : u"error"_s);
    return text;
}

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

TextPosition parseErrorPosition(const QByteArray &text, std::size_t errorByte)
{
    const std::size_t byte = errorByte > 0 ? errorByte - 1 : 0;
    const QByteArray before = text.left(qsizetype(std::min<std::size_t>(byte, size_t(text.size()))));
    const QByteArray lineStart = before.mid(before.lastIndexOf('\n') + 1);
    return {int(before.count('\n')) + 1, int(QString::fromUtf8(lineStart).size()) + 1};
}

QString TextPosition::toString() const
{
    return u"line %1, column %2"_s.arg(line).arg(column);
}

Result<Scenario> parseScenario(const Json &document, const QString &where)
{
    try {
        if (!document.is_object() || !document.contains("steps") || !document.at("steps").is_array())
            throw Invalid{u"%1 needs a \"steps\" list."_s.arg(where)};
        onlyKnownKeys(document, {u"steps"_s, u"expect"_s}, where);
        Scenario scenario;
        int index = 0;
        for (const Json &entry : document.at("steps"))
            scenario.steps.append(parseStep(entry, u"%1: step %2"_s.arg(where).arg(++index)));
        if (const auto expect = document.find("expect"); expect != document.end())
            scenario.expect = parseExpectations(*expect, where + u": \"expect\""_s);
        return scenario;
    } catch (const Invalid &invalid) {
        return failure(invalid.message);
    }
}

Result<Scenario> parseScenario(const QByteArray &json)
{
    Json document;
    try {
        document = Json::parse(json.toStdString());
    } catch (const Json::parse_error &error) {
        return failure(QStringLiteral("The scenario is not valid JSON (%1): %2")
                           .arg(parseErrorPosition(json, error.byte).toString(), QString::fromUtf8(error.what())));
    }
    return parseScenario(document, QStringLiteral("The scenario"));
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
