#include "projectscan.h"

#include <gumbo.h>

#include <memory>

namespace Loom::Runtime {

namespace {
struct GumboDeleter
{
    void operator()(GumboOutput *output) const { gumbo_destroy_output(&kGumboDefaultOptions, output); }
};

QString attribute(const GumboElement &element, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&element.attributes, name);
    return a ? QString::fromUtf8(a->value) : QString();
}

void visit(const GumboNode *node, QList<PageScript> &scripts)
{
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
        return;
    const GumboElement &element = node->v.element;
    QString type;
    if (element.tag == GUMBO_TAG_SCRIPT) {
        type = attribute(element, "type").trimmed().toLower();
    } else if (element.tag == GUMBO_TAG_UNKNOWN && element.original_tag.length > 0) {
        const QByteArray tag = QByteArray(element.original_tag.data, qsizetype(element.original_tag.length)).toLower();
        if (tag.startsWith("<py-script"))
            type = QStringLiteral("py");
        else if (tag.startsWith("<mpy-script"))
            type = QStringLiteral("mpy");
    }
    if ((type == u"py" || type == u"mpy") && element.original_tag.length > 0) {
        scripts.append({type, gumbo_get_attribute(&element.attributes, "worker") != nullptr, attribute(element, "name"),
                        attribute(element, "src"), attribute(element, "config"), int(element.start_pos.line)});
    }
    for (unsigned i = 0; i < element.children.length; ++i)
        visit(static_cast<const GumboNode *>(element.children.data[i]), scripts);
}
} // namespace

QList<PageScript> scanPageScripts(const QByteArray &html)
{
    std::unique_ptr<GumboOutput, GumboDeleter> output(
        gumbo_parse_with_options(&kGumboDefaultOptions, html.constData(), size_t(html.size())));
    QList<PageScript> scripts;
    visit(output->root, scripts);
    return scripts;
}

} // namespace Loom::Runtime
