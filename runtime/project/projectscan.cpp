#include "runtime/project/projectscan.h"

#include "runtime/project/gumbodocument.h"

#include <algorithm>

namespace Loom::Runtime {

namespace {
void visit(const GumboNode *node, QList<PageScript> &scripts)
{
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
        return;
    const GumboElement &element = node->v.element;
    QString type;
    if (element.tag == GUMBO_TAG_SCRIPT) {
        type = gumboAttribute(element, "type").trimmed().toLower();
    } else if (element.tag == GUMBO_TAG_UNKNOWN && element.original_tag.length > 0) {
        const QByteArray tag = QByteArray(element.original_tag.data, qsizetype(element.original_tag.length)).toLower();
        if (tag.startsWith("<py-script"))
            type = QStringLiteral("py");
        else if (tag.startsWith("<mpy-script"))
            type = QStringLiteral("mpy");
    }
    if ((type == u"py" || type == u"mpy") && element.original_tag.length > 0) {
        PageScript script{type, gumbo_get_attribute(&element.attributes, "worker") != nullptr, gumboAttribute(element, "name"),
                          gumboAttribute(element, "src"), gumboAttribute(element, "config"), int(element.start_pos.line),
                          {}, int(element.start_pos.line), 0};
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
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE || child->type == GUMBO_NODE_CDATA) {
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
