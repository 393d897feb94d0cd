#pragma once

#include "runtime/debug/breakpoint.h"
#include "runtime/project/projectcheck.h"
#include "ui/editor/qscintilla.h"

#include <QHash>
#include <QString>

#include <memory>

namespace Loom::Ui {

// The language Loom highlights a file as, from its extension:
// "python", "html", "json", "toml", "css" or "text".
QString languageForPath(const QString &path);

// A QScintilla editor set up for a PyScript project: a lexer per language, line numbers, folding,
// brace matching, auto-indent, UTF-8, a monospace font and colours that follow the palette.
// Several editors may show one document (DocumentStore shares it); the mark of markLine() then
// shows in all of them, because Scintilla keeps markers in the document.
class CodeEditor final : public QsciScintilla
{
    Q_OBJECT

public:
    explicit CodeEditor(QWidget *parent = nullptr);
    ~CodeEditor() override;
    Q_DISABLE_COPY_MOVE(CodeEditor)

    void setLanguageForPath(const QString &path);
    QString language() const { return m_language; }

    // Lines are 1-based, as tracebacks count them; out-of-range lines are clamped.
    void goToLine(int line);
    // Goes to the line, centres it and highlights it until the next markLine() or clearMark().
    void markLine(int line);
    void clearMark();
    // The marked line (1-based), 0 when none.
    int markedLine() const;

    // Shows the problems found in this editor's file: a symbol in the margin, a squiggle under
    // the place and the message under the line (annotations). Replaces the previous ones; like
    // markers they live in the document, so every editor of it shows them.
    void setDiagnostics(const QList<Runtime::Diagnostic> &diagnostics);
    // 1-based lines with an error or warning symbol, for tests.
    QList<int> diagnosticLines() const;

    // Breakpoints: a red dot in the symbol margin (click it, or F9 on the line); with a condition
    // or a hit count a dot with a plus, a log point a diamond (right-click the margin to edit).
    // Markers, so they move with the text and every editor of the document shows them (a second
    // editor of a document shares the first one's breakpoints: shareBreakpointsWith). Lines are
    // 1-based; the breakpoints' file is left empty.
    QList<Runtime::Breakpoint> breakpoints() const;
    QList<int> breakpointLines() const;
    void setBreakpoints(const QList<Runtime::Breakpoint> &breakpoints);
    void toggleBreakpoint(int line);
    // The breakpoint on `line` (nullopt: none there).
    std::optional<Runtime::Breakpoint> breakpointAt(int line) const;
    // Sets or replaces the breakpoint on point.line with point's condition, hit count and log.
    void setBreakpoint(const Runtime::Breakpoint &point);
    void shareBreakpointsWith(const CodeEditor *other);
    // Where a paused thread stands (an arrow in the margin); 0 clears it.
    void setPausedLine(int line);
    int pausedLine() const;

Q_SIGNALS:
    void breakpointsChanged();
    // The symbol margin was right-clicked on `line` (1-based): the owner offers to edit there.
    void breakpointMenuRequested(int line, const QPoint &globalPos);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    void applyAnnotationStyles();
    void updateLineNumberWidth();

    void removeBreakpointMarker(int line);

    std::unique_ptr<QsciLexer> m_lexer;
    // Marker handle -> the breakpoint's options (its line is the marker's, wherever it moved).
    std::shared_ptr<QHash<int, Runtime::Breakpoint>> m_breakpoints =
        std::make_shared<QHash<int, Runtime::Breakpoint>>();
    QString m_language = QStringLiteral("text");
    int m_lineNumberDigits = 0;
};

} // namespace Loom::Ui
