#pragma once

#include <QByteArray>
#include <QString>

#include <gumbo.h>

#include <memory>

namespace Loom::Runtime {

// A gumbo parse of an HTML buffer, freed with it. The buffer must outlive the document:
// gumbo's source positions and original_* pieces point into it.
class GumboDocument final
{
public:
    explicit GumboDocument(const QByteArray &html)
        : m_output(gumbo_parse_with_options(&kGumboDefaultOptions, html.constData(), size_t(html.size())))
    {}
    const GumboNode *root() const { return m_output->root; }

private:
    struct Deleter
    {
        void operator()(GumboOutput *output) const { gumbo_destroy_output(&kGumboDefaultOptions, output); }
    };
    std::unique_ptr<GumboOutput, Deleter> m_output;
};

// An element's attribute value as text, or an empty string when it has none.
inline QString gumboAttribute(const GumboElement &element, const char *name)
{
    const GumboAttribute *attribute = gumbo_get_attribute(&element.attributes, name);
    return attribute ? QString::fromUtf8(attribute->value) : QString();
}

// The name of an element gumbo does not know, as written ("<py-script config=…>" → "py-script"),
// lower case; empty for a known element.
inline QString gumboCustomTagName(const GumboElement &element)
{
    if (element.tag != GUMBO_TAG_UNKNOWN || element.original_tag.length < 2)
        return {};
    const QString tag = QString::fromUtf8(element.original_tag.data, qsizetype(element.original_tag.length));
    qsizetype end = 1;
    while (end < tag.size() && !tag.at(end).isSpace() && tag.at(end) != u'>' && tag.at(end) != u'/')
        ++end;
    return tag.mid(1, end - 1).toLower();
}

} // namespace Loom::Runtime
