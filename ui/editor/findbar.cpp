#include "ui/editor/findbar.h"

#include "ui/editor/codeeditor.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

#include <regex>

namespace Loom::Ui {

namespace {

using Sci = QsciScintillaBase;

// A match as byte positions; start is -1 when there is none.
struct Match
{
    long start = -1;
    long end = -1;
};

// Searches the target range [from, to), backwards when from > to, with the search flags set.
Match search(QsciScintillaBase &editor, const QByteArray &needle, long from, long to)
{
    editor.SendScintilla(Sci::SCI_SETTARGETRANGE, static_cast<unsigned long>(from), to);
    const long start = editor.SendScintilla(Sci::SCI_SEARCHINTARGET, static_cast<uintptr_t>(needle.size()),
                                            needle.constData());
    if (start < 0)
        return {start, start};
    return {start, editor.SendScintilla(Sci::SCI_GETTARGETEND)};
}

// Scintilla compiles an SCFIND_CXX11REGEX pattern with std::regex (ECMAScript, wide characters
// in a UTF-8 document) and reports one that does not compile as "not found": check it the same
// way first, so the bar can say what is wrong.
bool compiles(const QString &pattern)
{
    try {
        std::wregex(pattern.toStdWString(), std::regex_constants::ECMAScript);
        return true;
    } catch (const std::regex_error &) {
        return false;
    }
}

long position(const QsciScintillaBase &editor, unsigned int message, long at = 0)
{
    return editor.SendScintilla(message, static_cast<unsigned long>(at));
}

// Replaces the target (the last match) and returns where the replacement ends.
long replaceTarget(QsciScintillaBase &editor, const QByteArray &replacement, bool regularExpression)
{
    // REPLACETARGETRE expands \1..\9 from the last regex search.
    editor.SendScintilla(regularExpression ? Sci::SCI_REPLACETARGETRE : Sci::SCI_REPLACETARGET,
                         static_cast<uintptr_t>(replacement.size()), replacement.constData());
    return editor.SendScintilla(Sci::SCI_GETTARGETEND);
}

QToolButton *button(const QString &text, QWidget *parent)
{
    auto *result = new QToolButton(parent);
    result->setText(text);
    result->setAutoRaise(true);
    return result;
}

} // namespace

FindBar::FindBar(QWidget *parent)
    : QWidget(parent)
{
    m_find = new QLineEdit(this);
    m_find->setPlaceholderText(tr("Find"));
    m_find->setClearButtonEnabled(true);
    m_replace = new QLineEdit(this);
    m_replace->setPlaceholderText(tr("Replace"));
    m_matchCase = new QCheckBox(tr("Match case"), this);
    m_wholeWord = new QCheckBox(tr("Whole word"), this);
    m_regularExpression = new QCheckBox(tr("Regular expression"), this);
    m_status = new QLabel(this);
    auto *previous = button(tr("Previous"), this);
    auto *next = button(tr("Next"), this);
    auto *replaceOne = button(tr("Replace"), this);
    auto *replaceEvery = button(tr("Replace All"), this);
    auto *close = button(tr("Close"), this);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_find, 0, 0);
    layout->addWidget(previous, 0, 1);
    layout->addWidget(next, 0, 2);
    layout->addWidget(m_matchCase, 0, 3);
    layout->addWidget(m_wholeWord, 0, 4);
    layout->addWidget(m_regularExpression, 0, 5);
    layout->addWidget(m_status, 0, 6);
    layout->addWidget(close, 0, 7);
    layout->addWidget(m_replace, 1, 0);
    layout->addWidget(replaceOne, 1, 1);
    layout->addWidget(replaceEvery, 1, 2);
    layout->setColumnStretch(0, 1);

    connect(m_find, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(m_find, &QLineEdit::textChanged, this, [this] { setStatus({}); });
    connect(m_replace, &QLineEdit::returnPressed, this, &FindBar::replace);
    connect(previous, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(replaceOne, &QToolButton::clicked, this, &FindBar::replace);
    connect(replaceEvery, &QToolButton::clicked, this, &FindBar::replaceAll);
    connect(close, &QToolButton::clicked, this, &FindBar::dismiss);
}

FindBar::~FindBar() = default;

void FindBar::setEditor(CodeEditor *editor)
{
    m_editor = editor;
    setStatus({});
}

QString FindBar::findText() const
{
    return m_find->text();
}

void FindBar::setFindText(const QString &text)
{
    m_find->setText(text);
}

QString FindBar::replaceText() const
{
    return m_replace->text();
}

void FindBar::setReplaceText(const QString &text)
{
    m_replace->setText(text);
}

FindOptions FindBar::options() const
{
    return {m_matchCase->isChecked(), m_wholeWord->isChecked(), m_regularExpression->isChecked()};
}

void FindBar::setOptions(const FindOptions &options)
{
    m_matchCase->setChecked(options.matchCase);
    m_wholeWord->setChecked(options.wholeWord);
    m_regularExpression->setChecked(options.regularExpression);
}

QString FindBar::status() const
{
    return m_status->text();
}

void FindBar::activate()
{
    if (m_editor && m_editor->hasSelectedText()) {
        const QString selected = m_editor->selectedText();
        if (!selected.contains(u'\n') && !selected.contains(u'\r'))
            m_find->setText(selected);
    }
    show();
    m_find->selectAll();
    m_find->setFocus();
}

bool FindBar::findNext()
{
    return find(true);
}

bool FindBar::findPrevious()
{
    return find(false);
}

bool FindBar::find(bool forward)
{
    if (!canSearch())
        return false;
    QsciScintillaBase &editor = *m_editor;
    const QByteArray needle = findText().toUtf8();
    editor.SendScintilla(Sci::SCI_SETSEARCHFLAGS, static_cast<unsigned long>(searchFlags()));
    const long length = position(editor, Sci::SCI_GETLENGTH);
    const long selectionStart = position(editor, Sci::SCI_GETSELECTIONSTART);
    const long selectionEnd = position(editor, Sci::SCI_GETSELECTIONEND);
    // An empty match at the caret (a regex like ^) would be found again and again: step over it.
    const auto isCaret = [&](const Match &match) {
        return match.start == match.end && match.start == selectionStart && selectionStart == selectionEnd;
    };

    Match match;
    if (forward) {
        match = search(editor, needle, selectionEnd, length);
        if (isCaret(match))
            match = search(editor, needle, position(editor, Sci::SCI_POSITIONAFTER, selectionEnd), length);
        if (match.start == -1) // wrap around
            match = search(editor, needle, 0, length);
    } else {
        match = search(editor, needle, selectionStart, 0);
        if (isCaret(match))
            match = search(editor, needle, position(editor, Sci::SCI_POSITIONBEFORE, selectionStart), 0);
        if (match.start == -1)
            match = search(editor, needle, length, 0);
    }

    if (match.start < 0) {
        setStatus(tr("No matches"));
        return false;
    }
    setStatus({});
    m_editor->ensureLineVisible(static_cast<int>(position(editor, Sci::SCI_LINEFROMPOSITION, match.start)));
    editor.SendScintilla(Sci::SCI_SETSEL, static_cast<unsigned long>(match.start), match.end);
    return true;
}

bool FindBar::replace()
{
    if (!canSearch())
        return false;
    QsciScintillaBase &editor = *m_editor;
    const long selectionStart = position(editor, Sci::SCI_GETSELECTIONSTART);
    const long selectionEnd = position(editor, Sci::SCI_GETSELECTIONEND);
    editor.SendScintilla(Sci::SCI_SETSEARCHFLAGS, static_cast<unsigned long>(searchFlags()));
    const Match match = search(editor, findText().toUtf8(), selectionStart, selectionEnd);
    if (match.start != selectionStart || match.end != selectionEnd) {
        // Nothing found is selected yet: select the next match, to be replaced on the next call.
        findNext();
        return false;
    }
    const long end = replaceTarget(editor, replaceText().toUtf8(), m_regularExpression->isChecked());
    editor.SendScintilla(Sci::SCI_SETSEL, static_cast<unsigned long>(end), end);
    findNext();
    return true;
}

int FindBar::replaceAll()
{
    if (!canSearch())
        return 0;
    QsciScintillaBase &editor = *m_editor;
    const QByteArray needle = findText().toUtf8();
    const QByteArray replacement = replaceText().toUtf8();
    const bool regularExpression = m_regularExpression->isChecked();
    editor.SendScintilla(Sci::SCI_SETSEARCHFLAGS, static_cast<unsigned long>(searchFlags()));

    int count = 0;
    long from = 0;
    Match match;
    m_editor->beginUndoAction();
    for (;;) {
        match = search(editor, needle, from, position(editor, Sci::SCI_GETLENGTH));
        if (match.start < 0)
            break;
        from = replaceTarget(editor, replacement, regularExpression);
        ++count;
        if (match.start == match.end) { // an empty match: step over one character
            if (from >= position(editor, Sci::SCI_GETLENGTH))
                break;
            from = position(editor, Sci::SCI_POSITIONAFTER, from);
        }
    }
    m_editor->endUndoAction();

    setStatus(count > 0 ? tr("%n replaced", nullptr, count) : tr("No matches"));
    return count;
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() != Qt::Key_Escape) {
        QWidget::keyPressEvent(event);
        return;
    }
    dismiss();
}

void FindBar::dismiss()
{
    hide();
    if (m_editor)
        m_editor->setFocus();
}

bool FindBar::canSearch()
{
    setStatus({});
    if (!m_editor || findText().isEmpty())
        return false;
    if (m_regularExpression->isChecked() && !compiles(findText())) {
        setStatus(tr("Invalid regular expression"));
        return false;
    }
    return true;
}

int FindBar::searchFlags() const
{
    int flags = 0;
    if (m_matchCase->isChecked())
        flags |= Sci::SCFIND_MATCHCASE;
    if (m_wholeWord->isChecked())
        flags |= Sci::SCFIND_WHOLEWORD;
    if (m_regularExpression->isChecked())
        flags |= Sci::SCFIND_REGEXP | Sci::SCFIND_CXX11REGEX;
    return flags;
}

void FindBar::setStatus(const QString &status)
{
    m_status->setText(status);
}

} // namespace Loom::Ui
