#include "ui/editor/editortheme.h"

#include "ui/editor/qscintilla.h"

#include <QFont>
#include <QPalette>

#include <algorithm>

namespace Loom::Ui {

namespace {

QColor mix(const QColor &a, const QColor &b, double bShare)
{
    const auto channel = [bShare](int x, int y) { return static_cast<int>(x + (y - x) * bShare + 0.5); };
    return QColor(channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue()));
}

// The fold markers QsciScintilla::setFolding() defines, drawn white on black by default.
constexpr int FirstFoldMarker = QsciScintillaBase::SC_MARKNUM_FOLDEREND;
constexpr int LastFoldMarker = QsciScintillaBase::SC_MARKNUM_FOLDEROPEN;

} // namespace

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor adaptedColor(const QColor &designedForWhite, bool dark)
{
    if (!dark)
        return designedForWhite;
    float hue = 0;
    float saturation = 0;
    float lightness = 0;
    designedForWhite.getHslF(&hue, &saturation, &lightness);
    // Mirrored, then kept out of the darkest third so it still reads on dark paper.
    const float mirrored = std::clamp(1.0f - lightness, 0.6f, 0.92f);
    return QColor::fromHslF(hue, saturation, mirrored);
}

void applyPaletteToLexer(QsciLexer &lexer, const QPalette &palette, const QFont &font)
{
    const bool dark = isDarkPalette(palette);
    const QColor paper = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    // The paper every lexer assumes unless a style says otherwise (QsciLexer's constructor).
    const QColor designedPaper(Qt::white);

    lexer.setDefaultPaper(paper);
    lexer.setDefaultColor(text);
    lexer.setDefaultFont(font);
    for (int style = 0; style <= QsciScintillaBase::STYLE_MAX; ++style) {
        // STYLE_DEFAULT has no description but paints the paper past the end of the text.
        if (style != QsciScintillaBase::STYLE_DEFAULT && lexer.description(style).isEmpty())
            continue;
        const QColor designedColor = lexer.defaultColor(style);
        // Black (the lexers' plain text) becomes the palette's text colour.
        const bool plain = designedColor == text || designedColor.lightness() < 40;
        lexer.setColor(plain ? text : adaptedColor(designedColor, dark), style);
        const QColor stylePaper = lexer.defaultPaper(style);
        const bool ownPaper = stylePaper != designedPaper && stylePaper != paper;
        lexer.setPaper(ownPaper ? adaptedColor(stylePaper, dark) : paper, style);
        QFont styleFont = font;
        const QFont designedFont = lexer.defaultFont(style);
        styleFont.setBold(designedFont.bold());
        styleFont.setItalic(designedFont.italic());
        lexer.setFont(styleFont, style);
    }
}

void applyPaletteToEditor(QsciScintilla &editor, const QPalette &palette, const QFont &font)
{
    const QColor paper = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const QColor margin = palette.color(QPalette::Window);
    const QColor quiet = mix(margin, palette.color(QPalette::WindowText), 0.55);

    // Without a lexer these style the text; with one the lexer's styles win.
    editor.setPaper(paper);
    editor.setColor(text);
    editor.setFont(font);

    editor.setMarginsFont(font);
    editor.setMarginsBackgroundColor(margin);
    editor.setMarginsForegroundColor(quiet);
    editor.setFoldMarginColors(margin, margin);
    for (int marker = FirstFoldMarker; marker <= LastFoldMarker; ++marker) {
        editor.setMarkerForegroundColor(margin, marker);
        editor.setMarkerBackgroundColor(quiet, marker);
    }

    editor.setCaretForegroundColor(text);
    editor.setCaretLineBackgroundColor(mix(paper, text, 0.06));
    editor.setSelectionBackgroundColor(palette.color(QPalette::Highlight));
    editor.setSelectionForegroundColor(palette.color(QPalette::HighlightedText));
    editor.setMatchedBraceBackgroundColor(mix(paper, palette.color(QPalette::Highlight), 0.3));
    editor.setMatchedBraceForegroundColor(text);
    editor.setUnmatchedBraceBackgroundColor(paper);
    editor.setUnmatchedBraceForegroundColor(isDarkPalette(palette) ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc0, 0, 0));
}

QColor markColor(const QPalette &palette)
{
    // A red wash over the paper: the line a traceback points at.
    return mix(palette.color(QPalette::Base), QColor(0xe0, 0x30, 0x30), isDarkPalette(palette) ? 0.35 : 0.22);
}

} // namespace Loom::Ui
