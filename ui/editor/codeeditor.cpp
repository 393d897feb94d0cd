#include "ui/editor/codeeditor.h"

#include "ui/editor/editortheme.h"

#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Loom::Ui {

namespace {

constexpr int LineNumberMargin = 0;
constexpr int SymbolMargin = 1;
constexpr int FoldMargin = 2;
// Markers 0-24 are the application's; 25-31 are the fold margin's.
constexpr int MarkMarker = 8;
// Python's own convention (PEP 8). The other languages follow it too: index.html holds Python
// in its <script> blocks, and one width per project keeps pasted code aligned.
constexpr int IndentWidth = 4;

std::unique_ptr<QsciLexer> makeLexer(const QString &language)
{
    if (language == u"python"_s) {
        auto lexer = std::make_unique<QsciLexerPython>();
        lexer->setFoldComments(true);
        lexer->setFoldQuotes(true);
        return lexer;
    }
    // QsciLexerHTML (Scintilla's hypertext lexer) also colours what <script> holds: JavaScript
    // by default, Python when the type or language attribute contains "python". PyScript's
    // type="py" / type="mpy" does not, so such blocks get the JavaScript colours.
    if (language == u"html"_s)
        return std::make_unique<QsciLexerHTML>();
    if (language == u"json"_s)
        return std::make_unique<QsciLexerJSON>();
    if (language == u"css"_s)
        return std::make_unique<QsciLexerCSS>();
    // QScintilla has no TOML lexer. The properties (INI) lexer is the closest honest match: it
    // knows TOML's [tables], key = value lines and # comments, and colours values plainly
    // rather than guessing at strings, arrays or dates it does not understand.
    if (language == u"toml"_s)
        return std::make_unique<QsciLexerProperties>();
    return {};
}

QFont editorFont()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

} // namespace

QString languageForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"py"_s)
        return u"python"_s;
    if (suffix == u"html"_s || suffix == u"htm"_s)
        return u"html"_s;
    if (suffix == u"json"_s)
        return u"json"_s;
    if (suffix == u"toml"_s)
        return u"toml"_s;
    if (suffix == u"css"_s)
        return u"css"_s;
    return u"text"_s;
}

CodeEditor::CodeEditor(QWidget *parent)
    : QsciScintilla(parent)
{
    setUtf8(true);
    setEolMode(EolUnix);

    setMarginType(LineNumberMargin, NumberMargin);
    setMarginLineNumbers(LineNumberMargin, true);
    setMarginWidth(SymbolMargin, 0); // the mark is a line background, not a margin symbol
    setFolding(BoxedTreeFoldStyle, FoldMargin);

    setBraceMatching(SloppyBraceMatch);
    setAutoIndent(true);
    setIndentationsUseTabs(false);
    setIndentationWidth(IndentWidth);
    setTabWidth(IndentWidth);
    setTabIndents(true);
    setBackspaceUnindents(true);
    setIndentationGuides(true);
    setCaretLineVisible(true);

    markerDefine(Background, MarkMarker);

    connect(this, &QsciScintilla::linesChanged, this, &CodeEditor::updateLineNumberWidth);
    applyPalette();
}

// The lexer (m_lexer) goes before QsciScintilla's destructor runs, which then finds no lexer to
// detach: detaching would reset the lexer of a document other editors still show.
CodeEditor::~CodeEditor() = default;

void CodeEditor::setLanguageForPath(const QString &path)
{
    const QString language = languageForPath(path);
    if (language == m_language)
        return;
    auto lexer = makeLexer(language);
    setLexer(lexer.get());
    m_lexer = std::move(lexer);
    m_language = language;
    applyPalette(); // the lexer's styles, and the margin and brace styles setLexer() cleared
}

void CodeEditor::goToLine(int line)
{
    const int target = std::clamp(line, 1, std::max(1, lines())) - 1;
    ensureLineVisible(target); // unfolds it
    setCursorPosition(target, 0);
    const long displayLine = SendScintilla(SCI_VISIBLEFROMDOCLINE, static_cast<unsigned long>(target));
    const long onScreen = SendScintilla(SCI_LINESONSCREEN);
    setFirstVisibleLine(static_cast<int>(std::max(0L, displayLine - onScreen / 2)));
}

void CodeEditor::markLine(int line)
{
    goToLine(line);
    clearMark();
    int cursorLine = 0;
    int cursorIndex = 0;
    getCursorPosition(&cursorLine, &cursorIndex);
    markerAdd(cursorLine, MarkMarker);
}

void CodeEditor::clearMark()
{
    markerDeleteAll(MarkMarker);
}

int CodeEditor::markedLine() const
{
    return markerFindNext(0, 1U << MarkMarker) + 1;
}

void CodeEditor::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyPalette();
}

void CodeEditor::applyPalette()
{
    const QPalette colours = palette();
    const QFont font = editorFont();
    if (m_lexer)
        applyPaletteToLexer(*m_lexer, colours, font);
    applyPaletteToEditor(*this, colours, font);
    setMarkerBackgroundColor(markColor(colours), MarkMarker);
    m_lineNumberDigits = 0; // the font may have changed
    updateLineNumberWidth();
}

void CodeEditor::updateLineNumberWidth()
{
    const int digits = std::max(2, static_cast<int>(QString::number(lines()).size()));
    if (digits == m_lineNumberDigits)
        return;
    m_lineNumberDigits = digits;
    setMarginWidth(LineNumberMargin, QString(digits + 1, u'9'));
}

} // namespace Loom::Ui
