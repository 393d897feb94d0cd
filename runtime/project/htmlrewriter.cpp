#include "runtime/project/htmlrewriter.h"

#include <QRegularExpression>

#include "runtime/project/gumbodocument.h"
#include "runtime/project/projectscan.h"

#include <algorithm>
#include <vector>

namespace Loom::Runtime {

namespace {

// Absolute CDN forms carry a version; relative forms point into a local PyScript copy.
const QRegularExpression &cdnPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(^(?:https?:)?//(?:pyscript\.net/releases/([^/?#]+)|)"
                       R"((?:cdn\.|fastly\.)?jsdelivr\.net/npm/@pyscript/core@([^/?#]+)/dist|)"
                       R"(unpkg\.com/@pyscript/core@([^/?#]+)/dist)/core\.(js|css)(?:[?#].*)?$)"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &relativePattern()
{
    static const QRegularExpression re(QStringLiteral(R"(^(?![a-z][a-z0-9+.-]*:)(?!//)(?:.*/)?)"
                                                      R"((?:pyscript|@pyscript/core/dist)/core\.(js|css)(?:[?#].*)?$)"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

// PyScript dist URLs inside inline module code, static or dynamic:
// `import { hooks } from "https://pyscript.net/.../core.js"`, `import(".../storage.js")`.
const QRegularExpression &inlineImportPattern()
{
    static const QRegularExpression re(
        QStringLiteral(
            R"((["'`])((?:https?:)?//(?:pyscript\.net/releases/[^/"'`]+|(?:cdn\.|fastly\.)?jsdelivr\.net/npm/@pyscript/core(?:@[^/"'`]+)?/dist|)"
            R"(unpkg\.com/@pyscript/core(?:@[^/"'`]+)?/dist)/([A-Za-z0-9_.-]+\.js))\1)"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

struct Edit
{
    size_t offset;
    size_t length;
    QByteArray replacement;
};

class Rewriter
{
public:
    Rewriter(const QByteArray &html, const RewriteOptions &options)
        : m_html(html)
        , m_options(options)
    {}

    RewriteResult run()
    {
        const GumboDocument document(m_html);
        visit(document.root());

        RewriteResult result;
        result.coreFound = m_coreFound;
        result.notes = m_notes;
        result.html = m_html;
        std::sort(m_edits.begin(), m_edits.end(), [](const Edit &a, const Edit &b) { return a.offset > b.offset; });
        for (const Edit &edit : m_edits)
            result.html.replace(qsizetype(edit.offset), qsizetype(edit.length), edit.replacement);
        if (!m_coreFound && m_hasPyScriptTags) {
            result.notes.append(QStringLiteral("The page has PyScript scripts but no <script type=\"module\"> that "
                                               "loads PyScript's core.js by a URL Loom knows: if it loads core another "
                                               "way, it loads it from the network."));
        }
        return result;
    }

private:
    size_t offsetOf(const char *pointer) const { return size_t(pointer - m_html.constData()); }

    void replaceValue(const GumboAttribute &attribute, const QString &value)
    {
        // original_value includes the quotes, if any; write back a double-quoted value.
        m_edits.push_back(
            {offsetOf(attribute.original_value.data), attribute.original_value.length, '"' + value.toUtf8() + '"'});
    }

    void noteVersion(const CoreReference &reference)
    {
        if (!reference.version.isEmpty() && reference.version != m_options.servedVersion
            && reference.version != m_options.servedRelease && reference.version != u"latest" && !m_versionNoted) {
            m_versionNoted = true;
            m_notes.append(
                QStringLiteral("The page asks for PyScript %1; Loom runs it with the bundled PyScript %2.")
                    .arg(reference.version,
                         m_options.servedRelease.isEmpty()
                             ? m_options.servedVersion
                             : QStringLiteral("%1 (core %2)").arg(m_options.servedRelease, m_options.servedVersion)));
        }
    }

    void visitScript(const GumboElement &element)
    {
        const QString type = gumboAttribute(element, "type").trimmed().toLower();
        if (!scriptTypeKind(type).isEmpty())
            m_hasPyScriptTags = true;
        if (type != u"module" || element.original_tag.length == 0)
            return;

        const GumboAttribute *src = gumbo_get_attribute(&element.attributes, "src");
        if (!src) {
            rewriteInlineImports(element);
            return;
        }
        const auto reference = matchCoreUrl(QString::fromUtf8(src->value));
        if (!reference || reference->asset != CoreReference::Asset::Script)
            return;
        noteVersion(*reference);
        replaceValue(*src, m_options.coreScriptUrl);
        if (m_options.offline && !gumbo_get_attribute(&element.attributes, "offline")) {
            // Right after "<script": PyScript looks for script[type='module'][offline].
            m_edits.push_back({offsetOf(element.original_tag.data) + 7, 0, QByteArrayLiteral(" offline")});
        }
        m_coreFound = true;
    }

    void rewriteInlineImports(const GumboElement &element)
    {
        for (unsigned i = 0; i < element.children.length; ++i) {
            const auto *child = static_cast<const GumboNode *>(element.children.data[i]);
            if (child->type != GUMBO_NODE_TEXT && child->type != GUMBO_NODE_CDATA)
                continue;
            const GumboStringPiece &text = child->v.text.original_text;
            const QString code = QString::fromUtf8(text.data, qsizetype(text.length));
            auto matches = inlineImportPattern().globalMatch(code);
            const QString distDir = m_options.coreScriptUrl.left(m_options.coreScriptUrl.lastIndexOf(u'/') + 1);
            while (matches.hasNext()) {
                const auto match = matches.next();
                const QByteArray before = code.left(match.capturedStart(2)).toUtf8();
                const QString url = match.captured(2);
                const QString file = match.captured(3);
                const auto reference = matchCoreUrl(QString(url.left(url.size() - file.size()) + u"core.js"));
                if (reference)
                    noteVersion(*reference);
                if (file == u"core.js")
                    m_coreFound = true;
                m_edits.push_back({offsetOf(text.data) + size_t(before.size()), size_t(url.toUtf8().size()),
                                   (file == u"core.js" ? m_options.coreScriptUrl : distDir + file).toUtf8()});
            }
        }
    }

    void visitLink(const GumboElement &element)
    {
        if (gumboAttribute(element, "rel").trimmed().toLower() != u"stylesheet")
            return;
        const GumboAttribute *href = gumbo_get_attribute(&element.attributes, "href");
        if (!href)
            return;
        const auto reference = matchCoreUrl(QString::fromUtf8(href->value));
        if (reference && reference->asset == CoreReference::Asset::Stylesheet)
            replaceValue(*href, m_options.coreCssUrl);
    }

    void visit(const GumboNode *node)
    {
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
            return;
        const GumboElement &element = node->v.element;
        if (element.tag == GUMBO_TAG_SCRIPT)
            visitScript(element);
        else if (element.tag == GUMBO_TAG_LINK)
            visitLink(element);
        else if (element.tag == GUMBO_TAG_UNKNOWN) {
            const QString name = gumboCustomTagName(element);
            if (!scriptElementKind(name).isEmpty() || name == u"py-config" || name == u"mpy-config")
                m_hasPyScriptTags = true;
        }
        for (unsigned i = 0; i < element.children.length; ++i)
            visit(static_cast<const GumboNode *>(element.children.data[i]));
    }

    QByteArray m_html;
    const RewriteOptions &m_options;
    std::vector<Edit> m_edits;
    QStringList m_notes;
    bool m_coreFound = false;
    bool m_hasPyScriptTags = false;
    bool m_versionNoted = false;
};

} // namespace

std::optional<CoreReference> matchCoreUrl(QStringView url)
{
    const QString trimmed = url.trimmed().toString();
    const auto asset = [](QStringView suffix) {
        return suffix.compare(u"css", Qt::CaseInsensitive) == 0 ? CoreReference::Asset::Stylesheet
                                                                : CoreReference::Asset::Script;
    };
    if (const auto match = cdnPattern().match(trimmed); match.hasMatch()) {
        QString version = match.captured(1);
        if (version.isEmpty())
            version = match.captured(2);
        if (version.isEmpty())
            version = match.captured(3);
        return CoreReference{asset(match.capturedView(4)), version};
    }
    if (const auto match = relativePattern().match(trimmed); match.hasMatch())
        return CoreReference{asset(match.capturedView(1)), QString()};
    return std::nullopt;
}

RewriteResult rewriteHtml(const QByteArray &html, const RewriteOptions &options)
{
    return Rewriter(html, options).run();
}

QByteArray insertBeforeHeadEnd(const QByteArray &html, const QByteArray &markup)
{
    const GumboDocument document(html);
    const GumboNode *root = document.root();
    qsizetype offset = html.size();
    if (root && root->type == GUMBO_NODE_ELEMENT) {
        const GumboVector &children = root->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            const auto *child = static_cast<const GumboNode *>(children.data[i]);
            if (child->type != GUMBO_NODE_ELEMENT || child->v.element.tag != GUMBO_TAG_HEAD)
                continue;
            const GumboStringPiece &end = child->v.element.original_end_tag;
            if (end.length > 0 && end.data >= html.constData() && end.data < html.constData() + html.size())
                offset = end.data - html.constData();
            break;
        }
    }
    QByteArray result = html;
    result.insert(offset, markup);
    return result;
}

} // namespace Loom::Runtime
