#pragma once

#include "runtime/project/projectcheck.h"
#include "ui/editor/qscintilla.h"

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

    // Breakpoints: a red dot in the symbol margin (click it, or F9 on the line). Markers, so they
    // move with the text and every editor of the document shows them. Lines are 1-based.
    QList<int> breakpointLines() const;
    void setBreakpointLines(const QList<int> &lines);
    void toggleBreakpoint(int line);
    // Where a paused thread stands (an arrow in the margin); 0 clears it.
    void setPausedLine(int line);
    int pausedLine() const;

Q_SIGNALS:
    void breakpointsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    void applyAnnotationStyles();
    void updateLineNumberWidth();

    std::unique_ptr<QsciLexer> m_lexer;
    QString m_language = QStringLiteral("text");
    int m_lineNumberDigits = 0;
};

} // namespace Loom::Ui
