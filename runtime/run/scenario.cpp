#include "runtime/run/scenario.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>

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
            throw Invalid{u"%1 has an unknown key \"%2\" (known: %3)."_s.arg(where, QString::fromStdString(key),
                                                                             known.join(u", "))};
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

bool booleanAt(const Json &object, const char *key, const QString &where)
{
    const auto it = object.find(key);
    if (it == object.end())
        return false;
    if (!it->is_boolean())
        throw Invalid{u"%1: \"%2\" must be true or false."_s.arg(where, QString::fromLatin1(key))};
    return it->get<bool>();
}

// A whole number from 0 up, or std::nullopt when absent.
std::optional<int> countAt(const Json &object, const char *key, const QString &where)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 1'000'000)
        throw Invalid{u"%1: \"%2\" must be a whole number from 0."_s.arg(where, QString::fromLatin1(key))};
    return int(it->get<long long>());
}

// QRegularExpression (PCRE2) reads the syntax JavaScript's RegExp shares with it; JavaScript's
// \uXXXX is PCRE2's \x{XXXX}. A pattern only JavaScript takes still fails in the page, clearly.
std::optional<QString> patternError(const QString &pattern)
{
    const auto isHex = [](const QString &digits) {
        return digits.size() == 4 && std::all_of(digits.cbegin(), digits.cend(), [](QChar c) {
                   return c.isDigit() || (c.toLower() >= u'a' && c.toLower() <= u'f');
               });
    };
    QString pcre;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) != u'\\' || i + 1 == pattern.size()) {
            pcre += pattern.at(i);
        } else if (pattern.at(i + 1) == u'u' && isHex(pattern.mid(i + 2, 4))) {
            pcre += u"\\x{"_s + pattern.mid(i + 2, 4) + u'}';
            i += 5;
        } else {
            pcre += pattern.mid(i, 2); // an escape stays whole: in \\u0041 the backslash is the escaped one
            ++i;
        }
    }
    const QRegularExpression expression(pcre);
    if (expression.isValid())
        return std::nullopt;
    return u"%1 (at character %2)"_s.arg(expression.errorString()).arg(expression.patternErrorOffset() + 1);
}

ScenarioStep parseStep(const Json &entry, const QString &where)
{
    if (!entry.is_object())
        throw Invalid{u"%1 is not an object."_s.arg(where)};
    int verbs = 0;
    for (const char *verb : {"fill", "click", "waitFor", "waitText", "reload"})
        verbs += int(entry.contains(verb));
    if (verbs != 1)
        throw Invalid{u"%1 needs one of \"fill\", \"click\", \"waitFor\" or \"waitText\" with a CSS selector, "
                      "or \"reload\": true."_s.arg(where)};
    if (const auto reload = entry.find("reload"); reload != entry.end()) {
        onlyKnownKeys(entry, {u"reload"_s}, where);
        if (!reload->is_boolean() || !reload->get<bool>())
            throw Invalid{u"%1: \"reload\" must be true."_s.arg(where)};
        ScenarioStep step;
        step.kind = ScenarioStep::Kind::Reload;
        return step;
    }
    if (const auto fill = stringAt(entry, "fill", where)) {
        onlyKnownKeys(entry, {u"fill"_s, u"value"_s}, where);
        const auto value = entry.find("value");
        if (value == entry.end() || !value->is_string())
            throw Invalid{u"%1 (fill) needs a \"value\" string."_s.arg(where)};
        return {ScenarioStep::Kind::Fill, *fill, QString::fromStdString(value->get<std::string>())};
    }
    if (const auto click = stringAt(entry, "click", where)) {
        onlyKnownKeys(entry, {u"click"_s}, where);
        return {ScenarioStep::Kind::Click, *click, {}};
    }
    if (const auto element = stringAt(entry, "waitFor", where)) {
        onlyKnownKeys(entry, {u"waitFor"_s, u"visible"_s, u"not"_s}, where);
        ScenarioStep step{ScenarioStep::Kind::WaitFor, *element, {}};
        step.visible = booleanAt(entry, "visible", where);
        step.negated = booleanAt(entry, "not", where);
        return step;
    }
    const QString selector = *stringAt(entry, "waitText", where);
    onlyKnownKeys(entry, {u"waitText"_s, u"contains"_s, u"equals"_s, u"matches"_s, u"not"_s}, where);
    int matches = 0;
    for (const char *key : {"contains", "equals", "matches"}) {
        if (const auto it = entry.find(key); it != entry.end()) {
            ++matches;
            if (!it->is_string())
                throw Invalid{u"%1 (waitText): \"%2\" must be a string."_s.arg(where, QString::fromLatin1(key))};
        }
    }
    if (matches != 1)
        throw Invalid{u"%1 (waitText) needs one of \"contains\", \"equals\" or \"matches\" (to wait for the element "
                      "itself, use {\"waitFor\": SELECTOR})."_s.arg(where)};
    ScenarioStep step{ScenarioStep::Kind::WaitText, selector, {}};
    step.negated = booleanAt(entry, "not", where);
    if (entry.contains("equals")) {
        step.match = ScenarioStep::Match::Equals;
        step.value = QString::fromStdString(entry.at("equals").get<std::string>());
        return step;
    }
    const bool pattern = entry.contains("matches");
    step.match = pattern ? ScenarioStep::Match::Pattern : ScenarioStep::Match::Contains;
    step.value = QString::fromStdString(entry.at(pattern ? "matches" : "contains").get<std::string>());
    if (step.value.isEmpty())
        throw Invalid{u"%1 (waitText): \"%2\" must not be empty: every text contains \"\" (to wait for the element "
                      "itself, use {\"waitFor\": SELECTOR})."_s.arg(where, pattern ? u"matches"_s : u"contains"_s)};
    if (pattern) {
        if (const auto error = patternError(step.value))
            throw Invalid{u"%1 (waitText): \"matches\" is not a valid regular expression: %2."_s.arg(where, *error)};
    }
    return step;
}

ExpectedConsoleLine parseConsoleLine(const Json &entry, const QString &where)
{
    ExpectedConsoleLine line;
    if (entry.is_string() && !entry.get_ref<const std::string &>().empty()) {
        line.text = QString::fromStdString(entry.get<std::string>());
        return line;
    }
    if (!entry.is_object())
        throw Invalid{u"%1: \"console\" must be a list of non-empty strings or of objects {\"text\", \"thread\", "
                      "\"level\", \"count\", \"min\", \"max\"}."_s.arg(where)};
    const QString at = where + u": console line"_s;
    onlyKnownKeys(entry, {u"text"_s, u"thread"_s, u"level"_s, u"count"_s, u"min"_s, u"max"_s}, at);
    const auto text = stringAt(entry, "text", at);
    if (!text)
        throw Invalid{u"%1 needs a \"text\" to look for."_s.arg(at)};
    line.text = *text;
    line.thread = stringAt(entry, "thread", at).value_or(QString());
    if (const auto level = stringAt(entry, "level", at)) {
        if (*level == u"info")
            line.level = ExpectedConsoleLine::Level::Info;
        else if (*level == u"warning")
            line.level = ExpectedConsoleLine::Level::Warning;
        else if (*level == u"error")
            line.level = ExpectedConsoleLine::Level::Error;
        else
            throw Invalid{u"%1: \"level\" must be info, warning or error."_s.arg(at)};
    }
    line.count = countAt(entry, "count", at);
    line.min = countAt(entry, "min", at);
    line.max = countAt(entry, "max", at);
    if (line.count && (line.min || line.max))
        throw Invalid{u"%1: \"count\" is exact; use it alone, or \"min\" and \"max\"."_s.arg(at)};
    if (line.min && line.max && *line.min > *line.max)
        throw Invalid{u"%1: \"min\" is more than \"max\"."_s.arg(at)};
    return line;
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
                throw Invalid{u"%1: worker \"%2\" must be expected in one of the states %3."_s.arg(
                    where, QString::fromStdString(name), WorkerStates.join(u", "))};
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
            throw Invalid{u"%1: \"console\" must be a list of non-empty strings or of objects."_s.arg(where)};
        for (const Json &line : *console)
            expect.console.append(parseConsoleLine(line, where));
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
        return u"fill %1 with \"%2\""_s.arg(selector, value);
    case Kind::Click:
        return u"click %1"_s.arg(selector);
    case Kind::WaitFor:
        if (negated)
            return (visible ? u"wait until %1 is hidden or gone"_s : u"wait until %1 is gone"_s).arg(selector);
        return (visible ? u"wait until %1 is visible"_s : u"wait for %1"_s).arg(selector);
    case Kind::WaitText:
        switch (match) {
        case Match::Contains:
            return (negated ? u"wait until %1 does not contain \"%2\""_s : u"wait until %1 contains \"%2\""_s)
                .arg(selector, value);
        case Match::Equals:
            return (negated ? u"wait until %1 does not equal \"%2\""_s : u"wait until %1 equals \"%2\""_s)
                .arg(selector, value);
        case Match::Pattern:
            return (negated ? u"wait until %1 does not match /%2/"_s : u"wait until %1 matches /%2/"_s)
                .arg(selector, value);
        }
        break;
    case Kind::Reload:
        return u"reload the page"_s;
    }
    return {};
}

QString ExpectedConsoleLine::describe() const
{
    int lines = 1;
    QString quantity = u"at least 1"_s;
    if (count) {
        quantity = u"exactly %1"_s.arg(lines = *count);
    } else if (min && max) {
        quantity = u"%1 to %2"_s.arg(*min).arg(lines = *max);
    } else if (min) {
        quantity = u"at least %1"_s.arg(lines = *min);
    } else if (max) {
        quantity = u"at most %1"_s.arg(lines = *max);
    }
    QString text = quantity + (lines == 1 ? u" console line"_s : u" console lines"_s);
    if (thread == u"main")
        text += u" of the main thread"_s;
    else if (thread == u"worker")
        text += u" of a worker"_s;
    else if (thread == u"browser")
        text += u" of the browser's console"_s;
    else if (!thread.isEmpty())
        text += u" of worker \"%1\""_s.arg(thread);
    switch (level) {
    case Level::Any:
        break;
    case Level::Info:
        text += u" at level info"_s;
        break;
    case Level::Warning:
        text += u" at level warning"_s;
        break;
    case Level::Error:
        text += u" at level error"_s;
        break;
    }
    return text + u" containing \"%1\""_s.arg(this->text);
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

namespace {
struct SpecForm
{
    QStringView verb;
    ScenarioStep::Kind kind;
    bool hasValue = false;
    ScenarioStep::Match match = ScenarioStep::Match::Contains;
    bool negated = false;
    bool visible = false;
};

using Kind = ScenarioStep::Kind;
using Match = ScenarioStep::Match;
const SpecForm SpecForms[] = {
    {u"click", Kind::Click},
    {u"fill", Kind::Fill, true},
    {u"wait-for", Kind::WaitFor},
    {u"wait-visible", Kind::WaitFor, false, Match::Contains, false, true},
    {u"wait-gone", Kind::WaitFor, false, Match::Contains, true},
    {u"wait-hidden", Kind::WaitFor, false, Match::Contains, true, true},
    {u"wait-text", Kind::WaitText, true, Match::Contains},
    {u"wait-text-equals", Kind::WaitText, true, Match::Equals},
    {u"wait-text-matches", Kind::WaitText, true, Match::Pattern},
    {u"wait-text-not", Kind::WaitText, true, Match::Contains, true},
    {u"wait-text-not-equals", Kind::WaitText, true, Match::Equals, true},
    {u"wait-text-not-matches", Kind::WaitText, true, Match::Pattern, true},
};

// Where a selector written before "=VALUE" ends: the first "=" outside brackets, parentheses,
// quotes and backslash escapes (CSS puts "=" only in attribute selectors: html[lang=en]).
struct SelectorEnd
{
    qsizetype equals = -1; // -1: no such "="
    bool balanced = true;  // every bracket, parenthesis and quote closes, in order
};

SelectorEnd findSelectorEnd(const QString &text)
{
    QString closers;
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'\\') {
            ++i;
        } else if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u'[' || c == u'(') {
            closers.append(c == u'[' ? u']' : u')');
        } else if (c == u']' || c == u')') {
            if (closers.isEmpty() || closers.back() != c)
                return {-1, false};
            closers.chop(1);
        } else if (c == u'=' && closers.isEmpty()) {
            return {i, true};
        }
    }
    return {-1, quote.isNull() && closers.isEmpty()};
}
} // namespace

Result<ScenarioStep> parseStepSpec(const QString &spec)
{
    const auto refuse = [&spec](const QString &why) { return failure(u"\"%1\" is not a step: %2"_s.arg(spec, why)); };
    if (spec == u"reload") {
        ScenarioStep step;
        step.kind = Kind::Reload;
        return step;
    }
    const qsizetype colon = spec.indexOf(u':');
    const QStringView verb = QStringView(spec).left(colon);
    const auto form = std::find_if(std::begin(SpecForms), std::end(SpecForms),
                                   [verb](const SpecForm &f) { return f.verb == verb; });
    if (colon < 0 || form == std::end(SpecForms)) {
        return refuse(
            u"use click:SEL, fill:SEL=VALUE, wait-for:SEL, wait-visible:SEL, wait-gone:SEL, wait-hidden:SEL, "
            "wait-text:SEL=TEXT, wait-text-equals:SEL=TEXT, wait-text-matches:SEL=PATTERN, wait-text-not:SEL=TEXT, "
            "wait-text-not-equals:SEL=TEXT, wait-text-not-matches:SEL=PATTERN or reload."_s);
    }
    const QString rest = spec.mid(colon + 1);
    const SelectorEnd end = findSelectorEnd(rest);
    if (!end.balanced) {
        return refuse(u"the brackets, parentheses or quotes of its selector do not close, so where the selector ends "
                      "is unclear. Write the step in a scenario file (--scenario FILE), where selector and text are "
                      "separate."_s);
    }
    ScenarioStep step;
    step.kind = form->kind;
    step.match = form->match;
    step.negated = form->negated;
    step.visible = form->visible;
    if (!form->hasValue) {
        if (end.equals >= 0) {
            return refuse(u"%1 takes a selector only, and \"=\" outside [...] is not part of a CSS selector."_s.arg(
                form->verb.toString()));
        }
        step.selector = rest;
    } else {
        if (end.equals < 0)
            return refuse(u"%1 needs SELECTOR=%2."_s.arg(form->verb.toString(),
                                                         step.kind == Kind::Fill ? u"VALUE"_s : u"TEXT"_s));
        step.selector = rest.left(end.equals);
        step.value = rest.mid(end.equals + 1);
    }
    if (step.selector.trimmed().isEmpty())
        return refuse(u"the selector is empty."_s);
    if (step.kind == Kind::WaitText && step.match != Match::Equals && step.value.isEmpty())
        return refuse(u"every text contains \"\"; to wait for the element itself, use wait-for:SELECTOR."_s);
    if (step.kind == Kind::WaitText && step.match == Match::Pattern) {
        if (const auto error = patternError(step.value))
            return refuse(u"the pattern is not a valid regular expression: %1."_s.arg(*error));
    }
    return step;
}

QString stepScript(const ScenarioStep &step)
{
    const QString find = u"const e = document.querySelector(%1);"_s.arg(jsString(step.selector));
    const QString negated = step.negated ? u"true"_s : u"false"_s;
    QString body;
    switch (step.kind) {
    case ScenarioStep::Kind::Fill:
        body = u"if (!e || e.disabled) return 'wait'; e.value = %1;"
               "e.dispatchEvent(new Event('input', {bubbles: true}));"
               "e.dispatchEvent(new Event('change', {bubbles: true})); return 'ok';"_s.arg(jsString(step.value));
        break;
    case ScenarioStep::Kind::Click:
        body = u"if (!e || e.disabled) return 'wait'; e.click(); return 'ok';"_s;
        break;
    case ScenarioStep::Kind::WaitFor:
        // Visible: rendered (no display: none on it or an ancestor, so it has a box) and not
        // visibility: hidden. Not by its size: a headless page's viewport may have none.
        body =
            step.visible
                ? u"const met = !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility === 'visible';"_s
                : u"const met = !!e;"_s;
        body += u"return met !== %1 ? 'ok' : 'wait';"_s.arg(negated);
        break;
    case ScenarioStep::Kind::WaitText: {
        // innerText: the text as rendered, so never the source of an inline <script>.
        QString test;
        switch (step.match) {
        case ScenarioStep::Match::Contains:
            test = u"t.includes(%1)"_s.arg(jsString(step.value));
            break;
        case ScenarioStep::Match::Equals:
            test = u"t.trim() === %1"_s.arg(jsString(step.value.trimmed()));
            break;
        case ScenarioStep::Match::Pattern:
            body = u"let re; try { re = new RegExp(%1); } catch (x) {"
                   " return 'error: the pattern is not a valid JavaScript regular expression: ' + x.message; }"_s.arg(
                       jsString(step.value));
            test = u"re.test(t)"_s;
            break;
        }
        // A negated check needs its element too: a mistyped selector must not pass it.
        body += u"if (!e) return 'wait'; const t = e.innerText ?? e.textContent ?? '';"
                "return (%1) !== %2 ? 'ok:' + t : 'wait';"_s.arg(test, negated);
        break;
    }
    case ScenarioStep::Kind::Reload:
        return u"'error: a reload is done by the runner, not by a script'"_s;
    }
    return u"(() => { try { %1 %2 } catch (x) { return 'error: ' + x; } })()"_s.arg(find, body);
}

} // namespace Loom::Runtime
