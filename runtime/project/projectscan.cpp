#include "runtime/project/projectscan.h"

#include "runtime/project/gumbodocument.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace Loom::Runtime {

namespace {
// resources/python/pyscript_scripts.json, compiled in: the one definition of a PyScript script,
// which Loom's Python modules read too. Type values and element names to "py" or "mpy".
struct ScriptKinds
{
    std::map<std::string, QString, std::less<>> types;
    std::map<std::string, QString, std::less<>> elements;
};

const ScriptKinds &scriptKinds()
{
    static const ScriptKinds kinds = [] {
        ScriptKinds result;
        QFile file(QStringLiteral(":/loom/python/pyscript_scripts.json"));
        const bool opened = file.open(QIODevice::ReadOnly);
        Q_ASSERT_X(opened, "scriptKinds", "pyscript_scripts.json is compiled in");
        const auto json = nlohmann::json::parse(file.readAll().toStdString(), nullptr, /*allow_exceptions=*/false);
        const auto read = [&json](const char *key, auto &into) {
            if (!json.is_object() || !json.contains(key) || !json[key].is_object())
                return;
            for (const auto &[name, kind] : json[key].items()) {
                if (kind.is_string())
                    into.emplace(name, QString::fromStdString(kind.get<std::string>()));
            }
        };
        read("types", result.types);
        read("elements", result.elements);
        return result;
    }();
    return kinds;
}

QString kindOf(const std::map<std::string, QString, std::less<>> &table, QStringView name)
{
    const auto it = table.find(name.toString().toLower().toStdString());
    return it == table.end() ? QString() : it->second;
}
} // namespace

QString scriptTypeKind(QStringView type)
{
    return kindOf(scriptKinds().types, type.trimmed());
}

QString scriptElementKind(QStringView name)
{
    return kindOf(scriptKinds().elements, name);
}

QString pyscriptSelector()
{
    QStringList parts;
    for (const auto &[type, kind] : scriptKinds().types)
        parts.append(QStringLiteral("script[type=\"%1\" i]").arg(QString::fromStdString(type)));
    for (const auto &[element, kind] : scriptKinds().elements)
        parts.append(QString::fromStdString(element));
    return parts.join(u", ");
}

namespace {
void visit(const GumboNode *node, QList<PageScript> &scripts)
{
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
        return;
    const GumboElement &element = node->v.element;
    QString type;
    if (element.tag == GUMBO_TAG_SCRIPT)
        type = scriptTypeKind(gumboAttribute(element, "type"));
    else if (element.tag == GUMBO_TAG_UNKNOWN)
        type = scriptElementKind(gumboCustomTagName(element));
    if (!type.isEmpty() && element.original_tag.length > 0) {
        PageScript script{type,
                          gumbo_get_attribute(&element.attributes, "worker") != nullptr,
                          gumboAttribute(element, "name"),
                          gumboAttribute(element, "src"),
                          gumboAttribute(element, "config"),
                          int(element.start_pos.line),
                          {},
                          int(element.start_pos.line),
                          0};
        if (const GumboAttribute *config = gumbo_get_attribute(&element.attributes, "config")) {
            // value_start is the opening quote (gumbo counts columns from 1): the text is one further.
            const bool quoted = config->original_value.length > 0
                                && (config->original_value.data[0] == '"' || config->original_value.data[0] == '\'');
            script.configLine = int(config->value_start.line);
            script.configColumn = std::max(0, int(config->value_start.column) - 1 + (quoted ? 1 : 0));
        }
        // A script's code is its text child; the position is where that text begins.
        for (unsigned i = 0; i < element.children.length; ++i) {
            const auto *child = static_cast<const GumboNode *>(element.children.data[i]);
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE
                || child->type == GUMBO_NODE_CDATA) {
                script.code = QString::fromUtf8(child->v.text.text);
                script.codeLine = int(child->v.text.start_pos.line);
                script.codeColumn = std::max(0, int(child->v.text.start_pos.column) - 1); // gumbo counts from 1
                break;
            }
        }
        scripts.append(script);
    }
    for (unsigned i = 0; i < element.children.length; ++i)
        visit(static_cast<const GumboNode *>(element.children.data[i]), scripts);
}
} // namespace

QList<PageScript> scanPageScripts(const QByteArray &html)
{
    const GumboDocument document(html);
    QList<PageScript> scripts;
    visit(document.root(), scripts);
    return scripts;
}

} // namespace Loom::Runtime
