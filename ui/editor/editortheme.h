#pragma once

#include <QColor>

class QFont;
class QPalette;
class QsciLexer;
class QsciScintilla;

namespace Loom::Ui {

// Editor colours derived from the widget palette, so the editor follows a light or dark theme.

// A palette is dark when its window colour is (as the brief and most Qt styles read it).
bool isDarkPalette(const QPalette &palette);

// A lexer's colour for a palette: its own colours as designed for white paper on a light palette,
// with their lightness mirrored on a dark one (hue and saturation kept, so the lexer's
// distinctions between keywords, strings and comments survive).
QColor adaptedColor(const QColor &designedForWhite, bool dark);

// Recolours every style of the lexer for the palette and gives it the font (bold and italic of
// each style kept). Call before QsciScintilla::setLexer(), or again after a palette change.
void applyPaletteToLexer(QsciLexer &lexer, const QPalette &palette, const QFont &font);

// Paper, text, margins, caret, selection, braces and fold markers of the editor itself.
void applyPaletteToEditor(QsciScintilla &editor, const QPalette &palette, const QFont &font);

// The background of a line marked by CodeEditor::markLine().
QColor markColor(const QPalette &palette);

} // namespace Loom::Ui
