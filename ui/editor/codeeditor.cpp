#include "ui/editor/codeeditor.h"

#include "ui/editor/editortheme.h"
#include "ui/statuscolors.h"

#include <QCursor>
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
constexpr int ErrorMarker = 9;
constexpr int WarningMarker = 10;
constexpr int BreakpointMarker = 11;
constexpr int PausedMarker = 12;
constexpr int ConditionalBreakpointMarker = 13;
constexpr int LogPointMarker = 14;
constexpr unsigned BreakpointMask = (1U << BreakpointMarker) | (1U << ConditionalBreakpointMarker)
                                    | (1U << LogPointMarker);

int markerFor(const Runtime::Breakpoint &point)
{
    if (!point.log.isEmpty())
        return LogPointMarker;
    return point.condition.isEmpty() && point.hitCondition.isEmpty() ? BreakpointMarker : ConditionalBreakpointMarker;
}
constexpr int ErrorIndicator = 8; // Scintilla leaves 8-31 to containers
constexpr int WarningIndicator = 9;
constexpr int ErrorAnnotationStyle = 200; // styles past the lexers' own
constexpr int WarningAnnotationStyle = 201;
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
    // The symbol margin shows problems (the traceback mark is a line background).
    setMarginType(SymbolMargin, SymbolMargin);
    setMarginWidth(SymbolMargin, 14);
    setMarginMarkerMask(SymbolMargin, (1 << ErrorMarker) | (1 << WarningMarker) | (1 << PausedMarker) | BreakpointMask);
    setMarginSensitivity(SymbolMargin, true);
    connect(this, &QsciScintilla::marginClicked, this, [this](int margin, int line, Qt::KeyboardModifiers) {
        if (margin == SymbolMargin)
            toggleBreakpoint(line + 1);
    });
    connect(this, &QsciScintilla::marginRightClicked, this, [this](int margin, int line, Qt::KeyboardModifiers) {
        if (margin == SymbolMargin)
            Q_EMIT breakpointMenuRequested(line + 1, QCursor::pos());
    });
    setMarginMarkerMask(LineNumberMargin, 0);
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
    markerDefine(Circle, ErrorMarker);
    markerDefine(Circle, WarningMarker);
    markerDefine(Circle, BreakpointMarker);
    markerDefine(CircledPlus, ConditionalBreakpointMarker);
    markerDefine(Bookmark, LogPointMarker); // Scintilla has no diamond (VS Code's log point)
    for (const int marker : {ConditionalBreakpointMarker, LogPointMarker}) {
        setMarkerBackgroundColor(QColor(0xd0, 0x20, 0x20), marker);
        setMarkerForegroundColor(Qt::white, marker);
    }
    markerDefine(RightArrow, PausedMarker);
    setMarkerBackgroundColor(QColor(0xd0, 0x20, 0x20), BreakpointMarker);
    setMarkerForegroundColor(QColor(0xd0, 0x20, 0x20), BreakpointMarker);
    setMarkerBackgroundColor(StatusColors::warning(), PausedMarker);
    setMarkerForegroundColor(StatusColors::warning().darker(), PausedMarker);
    setMarkerBackgroundColor(StatusColors::error(), ErrorMarker);
    setMarkerForegroundColor(StatusColors::error(), ErrorMarker);
    setMarkerBackgroundColor(StatusColors::warning(), WarningMarker);
    setMarkerForegroundColor(StatusColors::warning(), WarningMarker);
    indicatorDefine(SquiggleIndicator, ErrorIndicator);
    indicatorDefine(SquiggleIndicator, WarningIndicator);
    setIndicatorForegroundColor(StatusColors::error(), ErrorIndicator);
    setIndicatorForegroundColor(StatusColors::warning(), WarningIndicator);
    setAnnotationDisplay(AnnotationBoxed);

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

void CodeEditor::setDiagnostics(const QList<Runtime::Diagnostic> &diagnostics)
{
    markerDeleteAll(ErrorMarker);
    markerDeleteAll(WarningMarker);
    const int lastLine = std::max(0, lines() - 1);
    for (const int indicator : {ErrorIndicator, WarningIndicator})
        clearIndicatorRange(0, 0, lastLine, lineLength(lastLine), indicator);
    clearAnnotations();
    QMap<int, QStringList> messages; // line -> its problems, errors first
    QMap<int, bool> lineHasError;
    for (const Runtime::Diagnostic &diagnostic : diagnostics) {
        const int line = diagnostic.line - 1;
        if (line < 0 || line >= lines())
            continue;
        const bool error = diagnostic.severity == Runtime::Diagnostic::Severity::Error;
        markerAdd(line, error ? ErrorMarker : WarningMarker);
        // The squiggle runs from the column to the end of the word there (or the line).
        const QString text = this->text(line);
        const int firstNonSpace = int(std::distance(
            text.cbegin(), std::find_if(text.cbegin(), text.cend(), [](QChar c) { return !c.isSpace(); })));
        const int from = std::clamp(diagnostic.column > 0 ? diagnostic.column - 1 : firstNonSpace, 0,
                                    std::max(0, int(text.size()) - 1));
        int to = from;
        while (to < text.size() && (text.at(to).isLetterOrNumber() || text.at(to) == u'_'))
            ++to;
        if (to == from) // not on a word: to the end of the line
            to = int(text.size() - (text.endsWith(u'\n') ? 1 : 0));
        // QScintilla's indexes are bytes of UTF-8.
        const int fromByte = int(text.left(from).toUtf8().size());
        const int toByte = int(text.left(std::max(to, from + 1)).toUtf8().size());
        fillIndicatorRange(line, fromByte, line, std::min(toByte, lineLength(line)),
                           error ? ErrorIndicator : WarningIndicator);
        if (error)
            messages[line].prepend(diagnostic.message);
        else
            messages[line].append(diagnostic.message);
        lineHasError[line] = lineHasError.value(line) || error;
    }
    for (auto it = messages.cbegin(); it != messages.cend(); ++it)
        annotate(it.key(), it.value().join(u'\n'),
                 lineHasError.value(it.key()) ? ErrorAnnotationStyle : WarningAnnotationStyle);
    applyAnnotationStyles();
}

QList<int> CodeEditor::diagnosticLines() const
{
    QList<int> result;
    const unsigned mask = (1u << ErrorMarker) | (1u << WarningMarker);
    for (int line = 0; line < lines(); ++line) {
        if (markersAtLine(line) & mask)
            result.append(line + 1);
    }
    return result;
}

void CodeEditor::applyAnnotationStyles()
{
    // Annotation text in the editor's font, tinted like its marker; follows the palette.
    const QColor base = palette().color(QPalette::Base);
    const bool dark = base.lightness() < 128;
    SendScintilla(SCI_STYLESETFONT, ErrorAnnotationStyle, editorFont().family().toUtf8().constData());
    SendScintilla(SCI_STYLESETFONT, WarningAnnotationStyle, editorFont().family().toUtf8().constData());
    SendScintilla(SCI_STYLESETFORE, ErrorAnnotationStyle, dark ? QColor(0xff, 0x9a, 0x96) : QColor(0x9b, 0x1c, 0x1c));
    SendScintilla(SCI_STYLESETBACK, ErrorAnnotationStyle, dark ? QColor(0x4a, 0x22, 0x22) : QColor(0xfd, 0xec, 0xec));
    SendScintilla(SCI_STYLESETFORE, WarningAnnotationStyle, dark ? QColor(0xff, 0xd0, 0x80) : QColor(0x7a, 0x4a, 0x00));
    SendScintilla(SCI_STYLESETBACK, WarningAnnotationStyle, dark ? QColor(0x44, 0x38, 0x1c) : QColor(0xfd, 0xf5, 0xe3));
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
    applyAnnotationStyles();
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

QList<Runtime::Breakpoint> CodeEditor::breakpoints() const
{
    QList<Runtime::Breakpoint> points;
    for (int line = markerFindNext(0, BreakpointMask); line >= 0; line = markerFindNext(line + 1, BreakpointMask)) {
        if (const auto point = breakpointAt(line + 1))
            points.append(*point);
    }
    return points;
}

QList<int> CodeEditor::breakpointLines() const
{
    QList<int> lines;
    for (const Runtime::Breakpoint &point : breakpoints())
        lines.append(point.line);
    return lines;
}

std::optional<Runtime::Breakpoint> CodeEditor::breakpointAt(int line) const
{
    if (line < 1 || !(markersAtLine(line - 1) & BreakpointMask))
        return std::nullopt;
    for (auto it = m_breakpoints->cbegin(); it != m_breakpoints->cend(); ++it) {
        if (markerLine(it.key()) == line - 1) {
            Runtime::Breakpoint point = it.value();
            point.line = line;
            return point;
        }
    }
    return Runtime::Breakpoint{QString(), line}; // a marker made before its options were kept
}

void CodeEditor::setBreakpoints(const QList<Runtime::Breakpoint> &breakpoints)
{
    for (const int marker : {BreakpointMarker, ConditionalBreakpointMarker, LogPointMarker})
        markerDeleteAll(marker);
    m_breakpoints->clear();
    for (const Runtime::Breakpoint &point : breakpoints) {
        if (point.line >= 1 && point.line <= lines())
            m_breakpoints->insert(markerAdd(point.line - 1, markerFor(point)), point);
    }
}

void CodeEditor::setBreakpoint(const Runtime::Breakpoint &point)
{
    if (point.line < 1 || point.line > lines())
        return;
    removeBreakpointMarker(point.line);
    m_breakpoints->insert(markerAdd(point.line - 1, markerFor(point)), point);
    Q_EMIT breakpointsChanged();
}

void CodeEditor::toggleBreakpoint(int line)
{
    if (line < 1 || line > lines())
        return;
    if (markersAtLine(line - 1) & BreakpointMask)
        removeBreakpointMarker(line);
    else
        m_breakpoints->insert(markerAdd(line - 1, BreakpointMarker), Runtime::Breakpoint{QString(), line});
    Q_EMIT breakpointsChanged();
}

void CodeEditor::removeBreakpointMarker(int line)
{
    for (auto it = m_breakpoints->begin(); it != m_breakpoints->end();) {
        if (markerLine(it.key()) == line - 1 || markerLine(it.key()) < 0)
            it = m_breakpoints->erase(it);
        else
            ++it;
    }
    for (const int marker : {BreakpointMarker, ConditionalBreakpointMarker, LogPointMarker})
        markerDelete(line - 1, marker);
}

void CodeEditor::shareBreakpointsWith(const CodeEditor *other)
{
    m_breakpoints = other->m_breakpoints;
}

void CodeEditor::setPausedLine(int line)
{
    markerDeleteAll(PausedMarker);
    if (line >= 1 && line <= lines()) {
        markerAdd(line - 1, PausedMarker);
        goToLine(line);
    }
}

int CodeEditor::pausedLine() const
{
    return markerFindNext(0, 1U << PausedMarker) + 1;
}

} // namespace Loom::Ui
