#include "projectscan.h"

#include "gumbodocument.h"

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
        scripts.append({type, gumbo_get_attribute(&element.attributes, "worker") != nullptr, gumboAttribute(element, "name"),
                        gumboAttribute(element, "src"), gumboAttribute(element, "config"), int(element.start_pos.line)});
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
