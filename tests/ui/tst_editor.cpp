// The editor layer: languages, indentation, marks, find and replace, shared documents, saving,
// and files changed by other programs.
#include "ui/editor/codeeditor.h"
#include "ui/editor/documentstore.h"
#include "ui/editor/findbar.h"

#include "tests/support/files.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace Loom::TestSupport;
using namespace Loom::Ui;
using namespace Qt::StringLiterals;

namespace {

QByteArray numberedLines(int count)
{
    QByteArray text;
    for (int i = 1; i <= count; ++i)
        text += "line " + QByteArray::number(i) + '\n';
    return text;
}

int cursorLine(const QsciScintilla &editor)
{
    int line = 0;
    int index = 0;
    editor.getCursorPosition(&line, &index);
    return line;
}

// Evaluated even when the check passes, so it must not touch error() of a success.
template<typename T>
const char *messageOf(const Loom::Runtime::Result<T> &result)
{
    static QByteArray message;
    message = result ? QByteArray() : result.error().toLocal8Bit();
    return message.constData();
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    palette.setColor(QPalette::WindowText, QColor(0xdd, 0xdd, 0xdd));
    palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    return palette;
}

} // namespace

class tst_Editor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void language_followsExtension_data();
    void language_followsExtension();
    void enter_indentsAfterPythonColon_data();
    void enter_indentsAfterPythonColon();
    void markLine_movesCursorCentresAndMarksOneLine();
    void lineNumberMargin_growsWithLineCount();
    void colours_followLightAndDarkPalette();

    void findBar_findsAndWraps();
    void findBar_replaceAll_data();
    void findBar_replaceAll();
    void findBar_replaceAll_isOneUndoStep();
    void findBar_escape_hides();

    void sharedDocument_typingShowsInEveryEditor();
    void save_writesAtomicallyAndClearsModified();
    void changedByAnotherProgram_isReportedAndSaveRefuses_data();
    void changedByAnotherProgram_isReportedAndSaveRefuses();
    void ownSave_isNotReportedAndWatchSurvives();
    void reload_bringsDiskContentAndKeepsCursorLine();
    void badFile_givesClearError_data();
    void badFile_givesClearError();
    void close_deletesEditorsAndForgetsDocument();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
};

void tst_Editor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_Editor::language_followsExtension_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("lexer"); // QsciLexer::language(), "" for none
    QTest::newRow("python") << u"main.py"_s << u"python"_s << u"Python"_s;
    QTest::newRow("python upper case") << u"WORKER.PY"_s << u"python"_s << u"Python"_s;
    QTest::newRow("html") << u"index.html"_s << u"html"_s << u"HTML"_s;
    QTest::newRow("htm") << u"old/page.htm"_s << u"html"_s << u"HTML"_s;
    QTest::newRow("json") << u"config.json"_s << u"json"_s << u"JSON"_s;
    QTest::newRow("toml (properties lexer)") << u"pyscript.toml"_s << u"toml"_s << u"Properties"_s;
    QTest::newRow("css") << u"style.css"_s << u"css"_s << u"CSS"_s;
    QTest::newRow("text") << u"notes.txt"_s << u"text"_s << QString();
    QTest::newRow("no extension") << u"LICENSE"_s << u"text"_s << QString();
    QTest::newRow("javascript is text") << u"mini-coi.js"_s << u"text"_s << QString();
}

void tst_Editor::language_followsExtension()
{
    QFETCH(QString, file);
    QFETCH(QString, language);
    QFETCH(QString, lexer);
    QCOMPARE(languageForPath(file), language);
    CodeEditor editor;
    editor.setLanguageForPath(file);
    QCOMPARE(editor.language(), language);
    QCOMPARE(editor.lexer() ? QString::fromLatin1(editor.lexer()->language()) : QString(), lexer);
}

void tst_Editor::enter_indentsAfterPythonColon_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("indentation");
    QTest::newRow("def") << u"main.py"_s << u"def add(a, b):"_s << 4;
    QTest::newRow("nested if") << u"main.py"_s << u"    if a:"_s << 8;
    QTest::newRow("statement keeps indentation") << u"main.py"_s << u"    total = a + b"_s << 4;
    QTest::newRow("colon in a string") << u"main.py"_s << u"x = 'a:'"_s << 0;
    QTest::newRow("plain text only keeps indentation") << u"notes.txt"_s << u"def add(a, b):"_s << 0;
}

void tst_Editor::enter_indentsAfterPythonColon()
{
    QFETCH(QString, file);
    QFETCH(QString, line);
    QFETCH(int, indentation);
    CodeEditor editor;
    editor.setLanguageForPath(file);
    editor.resize(600, 300);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setText(line);
    editor.setCursorPosition(0, static_cast<int>(line.size()));
    editor.recolor(); // what the first paint does: QScintilla reads the colon's style
    QTest::keyClick(&editor, Qt::Key_Return);
    QCOMPARE(editor.lines(), 2);
    QCOMPARE(editor.indentation(1), indentation);
    int cursor = -1;
    int index = -1;
    editor.getCursorPosition(&cursor, &index);
    QCOMPARE(cursor, 1);
    QCOMPARE(index, indentation);
    QVERIFY(!editor.text(1).contains(u'\t'));
}

void tst_Editor::markLine_movesCursorCentresAndMarksOneLine()
{
    CodeEditor editor;
    editor.setLanguageForPath(u"main.py"_s);
    editor.setText(QString::fromUtf8(numberedLines(300)));
    editor.resize(500, 300);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));

    editor.markLine(150);
    QCOMPARE(cursorLine(editor), 149);
    QCOMPARE(editor.markedLine(), 150);
    const int onScreen = static_cast<int>(editor.SendScintilla(QsciScintillaBase::SCI_LINESONSCREEN));
    QVERIFY(onScreen > 2);
    QVERIFY2(qAbs(editor.firstVisibleLine() + onScreen / 2 - 149) <= 1,
             qPrintable(u"first visible %1, %2 on screen"_s.arg(editor.firstVisibleLine()).arg(onScreen)));

    editor.markLine(10); // the mark moves: one per document
    QCOMPARE(cursorLine(editor), 9);
    QCOMPARE(editor.markedLine(), 10);
    QCOMPARE(editor.markerFindNext(10, ~0U), -1);

    editor.markLine(10'000); // clamped to the last line
    QCOMPARE(editor.markedLine(), editor.lines());
    editor.clearMark();
    QCOMPARE(editor.markedLine(), 0);

    editor.goToLine(42);
    QCOMPARE(cursorLine(editor), 41);
    QCOMPARE(editor.markedLine(), 0);
}

void tst_Editor::lineNumberMargin_growsWithLineCount()
{
    CodeEditor editor;
    editor.setText(QString::fromUtf8(numberedLines(9)));
    const int small = editor.marginWidth(0);
    QVERIFY(small > 0);
    editor.setText(QString::fromUtf8(numberedLines(12'000)));
    QVERIFY(editor.marginWidth(0) > small);
    editor.setText(u"one line"_s);
    QCOMPARE(editor.marginWidth(0), small);
}

void tst_Editor::colours_followLightAndDarkPalette()
{
    const QPalette original = QApplication::palette();
    CodeEditor editor;
    editor.setLanguageForPath(u"main.py"_s);
    QsciLexer *lexer = editor.lexer();
    QVERIFY(lexer);
    const int keyword = QsciLexerPython::Keyword;
    QVERIFY(lexer->paper(0).lightness() > 128);
    QVERIFY(lexer->color(keyword).lightness() < 128);

    QApplication::setPalette(darkPalette());
    QTRY_COMPARE(lexer->paper(0), darkPalette().color(QPalette::Base));
    QCOMPARE(lexer->color(QsciLexerPython::Identifier), darkPalette().color(QPalette::Text));
    QVERIFY(lexer->color(keyword).lightness() > 128);
    // What Scintilla paints (BGR), not only what the lexer holds.
    const long paper = editor.SendScintilla(QsciScintillaBase::SCI_STYLEGETBACK, 0UL);
    QCOMPARE(paper & 0xff, 0x1e);

    QApplication::setPalette(original);
    QTRY_VERIFY(lexer->paper(0).lightness() > 128);
    QVERIFY(lexer->color(keyword).lightness() < 128);
}

void tst_Editor::findBar_findsAndWraps()
{
    CodeEditor editor;
    editor.setText(u"foo bar\nFoo foo"_s);
    FindBar bar;
    bar.setEditor(&editor);
    bar.setFindText(u"foo"_s);

    const auto selection = [&editor] {
        return std::pair{editor.SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART),
                         editor.SendScintilla(QsciScintillaBase::SCI_GETSELECTIONEND)};
    };
    QVERIFY(bar.findNext());
    QCOMPARE(selection(), std::pair(0L, 3L));
    QVERIFY(bar.findNext());
    QCOMPARE(selection(), std::pair(8L, 11L)); // "Foo": case ignored
    QVERIFY(bar.findNext());
    QCOMPARE(selection(), std::pair(12L, 15L));
    QVERIFY(bar.findNext()); // wraps
    QCOMPARE(selection(), std::pair(0L, 3L));
    QVERIFY(bar.findPrevious()); // wraps backwards
    QCOMPARE(selection(), std::pair(12L, 15L));
    QVERIFY(bar.findPrevious());
    QCOMPARE(selection(), std::pair(8L, 11L));

    bar.setOptions({.matchCase = true});
    QVERIFY(bar.findNext());
    QCOMPARE(selection(), std::pair(12L, 15L));
    QVERIFY(bar.status().isEmpty());

    bar.setFindText(u"nothing"_s);
    QVERIFY(!bar.findNext());
    QCOMPARE(bar.status(), u"No matches"_s);

    bar.setFindText(u"(unclosed"_s);
    bar.setOptions({.regularExpression = true});
    QVERIFY(!bar.findNext());
    QCOMPARE(bar.status(), u"Invalid regular expression"_s);
}

void tst_Editor::findBar_replaceAll_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("find");
    QTest::addColumn<QString>("replace");
    QTest::addColumn<bool>("matchCase");
    QTest::addColumn<bool>("wholeWord");
    QTest::addColumn<bool>("regex");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("count");
    QTest::newRow("plain, any case") << u"foo Foo food"_s << u"foo"_s << u"bar"_s << false << false << false
                                     << u"bar bar bard"_s << 3;
    QTest::newRow("match case") << u"foo Foo food"_s << u"foo"_s << u"bar"_s << true << false << false
                                << u"bar Foo bard"_s << 2;
    QTest::newRow("whole word") << u"foo Foo food"_s << u"foo"_s << u"bar"_s << false << true << false
                                << u"bar bar food"_s << 2;
    QTest::newRow("regex groups") << u"add(1, 2)\nadd(3, 4)"_s << u"add\\((\\d), (\\d)\\)"_s << u"\\2 + \\1"_s << false
                                  << false << true << u"2 + 1\n4 + 3"_s << 2;
    QTest::newRow("regex line starts") << u"a\nb\nc"_s << u"^"_s << u"# "_s << false << false << true
                                       << u"# a\n# b\n# c"_s << 3;
    QTest::newRow("longer replacement") << u"x x"_s << u"x"_s << u"xx"_s << false << false << false << u"xx xx"_s << 2;
    QTest::newRow("multi-byte text") << u"café café"_s << u"é"_s << u"e"_s << false << false << false << u"cafe cafe"_s
                                     << 2;
    QTest::newRow("no match") << u"abc"_s << u"z"_s << u"y"_s << false << false << false << u"abc"_s << 0;
}

void tst_Editor::findBar_replaceAll()
{
    QFETCH(QString, text);
    QFETCH(QString, find);
    QFETCH(QString, replace);
    QFETCH(bool, matchCase);
    QFETCH(bool, wholeWord);
    QFETCH(bool, regex);
    QFETCH(QString, expected);
    QFETCH(int, count);
    CodeEditor editor;
    editor.setText(text);
    FindBar bar;
    bar.setEditor(&editor);
    bar.setFindText(find);
    bar.setReplaceText(replace);
    bar.setOptions({matchCase, wholeWord, regex});
    QCOMPARE(bar.replaceAll(), count);
    QCOMPARE(editor.text(), expected);
    QCOMPARE(bar.status(), count ? u"%1 replaced"_s.arg(count) : u"No matches"_s);
}

void tst_Editor::findBar_replaceAll_isOneUndoStep()
{
    CodeEditor editor;
    editor.setText(u"a a a a"_s);
    FindBar bar;
    bar.setEditor(&editor);
    bar.setFindText(u"a"_s);
    bar.setReplaceText(u"b"_s);

    QVERIFY(!bar.replace()); // nothing selected yet: selects the first match
    QVERIFY(bar.replace());
    QCOMPARE(editor.text(), u"b a a a"_s);
    QCOMPARE(editor.selectedText(), u"a"_s); // the next match, ready for the next replace

    QCOMPARE(bar.replaceAll(), 3);
    QCOMPARE(editor.text(), u"b b b b"_s);
    editor.undo();
    QCOMPARE(editor.text(), u"b a a a"_s);
}

void tst_Editor::findBar_escape_hides()
{
    QWidget window;
    auto *editor = new CodeEditor(&window);
    auto *bar = new FindBar(&window);
    bar->setEditor(editor);
    editor->setText(u"needle"_s);
    editor->selectAll();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    bar->activate();
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->findText(), u"needle"_s);
    QTest::keyClick(bar, Qt::Key_Escape);
    QVERIFY(!bar->isVisible());
}

void tst_Editor::sharedDocument_typingShowsInEveryEditor()
{
    QVERIFY(writeFile(path(u"index.html"_s), "<script type=\"py\">\nprint(1)\n</script>\n"));
    DocumentStore store;
    QSignalSpy modified(&store, &DocumentStore::modificationChanged);
    auto first = store.openEditor(path(u"index.html"_s), nullptr);
    QVERIFY2(first, messageOf(first));
    auto second = store.openEditor(path(u"./index.html"_s), nullptr);
    QVERIFY2(second, messageOf(second));
    std::unique_ptr<CodeEditor> a(*first);
    std::unique_ptr<CodeEditor> b(*second);
    QVERIFY(a.get() != b.get());
    QCOMPARE(store.editors(path(u"index.html"_s)).size(), 2);
    QCOMPARE(b->language(), u"html"_s);
    QVERIFY(!store.isModified(path(u"index.html"_s)));

    a->setCursorPosition(1, 0);
    QTest::keyClicks(a.get(), u"x = 2; "_s);
    QCOMPARE(b->text(1), u"x = 2; print(1)\n"_s);
    QCOMPARE(b->text(), a->text());
    QVERIFY(a->isModified());
    QVERIFY(b->isModified());
    QVERIFY(store.isModified(path(u"index.html"_s)));
    QCOMPARE(store.modifiedPaths(), QStringList{DocumentStore::documentPath(path(u"index.html"_s))});
    QCOMPARE(modified.size(), 1); // once per path, not once per editor
    QCOMPARE(modified.first().at(0).toString(), DocumentStore::documentPath(path(u"index.html"_s)));
    QCOMPARE(modified.first().at(1).toBool(), true);

    b->undo(); // one undo history for the document
    QCOMPARE(a->text(1), u"print(1)\n"_s);
    QVERIFY(!store.isModified(path(u"index.html"_s)));
    QCOMPARE(modified.size(), 2);
    QCOMPARE(modified.last().at(1).toBool(), false);

    // A new editor after the first two are gone still shows the (unsaved) document.
    QTest::keyClicks(b.get(), u"y"_s);
    a.reset();
    b.reset();
    auto third = store.openEditor(path(u"index.html"_s), nullptr);
    QVERIFY2(third, messageOf(third));
    std::unique_ptr<CodeEditor> c(*third);
    QVERIFY(c->text().contains(u"yprint(1)"_s));
    QVERIFY(c->isModified());

    // With every editor gone the document can still be saved, reloaded and closed.
    c.reset();
    QVERIFY(store.editors(path(u"index.html"_s)).isEmpty());
    const auto saved = store.save(path(u"index.html"_s));
    QVERIFY2(saved, messageOf(saved));
    QVERIFY(readFile(path(u"index.html"_s)).contains("yprint(1)"));
    QVERIFY(!store.isModified(path(u"index.html"_s)));
    QVERIFY(writeFile(path(u"index.html"_s), "<p>theirs</p>\n"));
    const auto reloaded = store.reload(path(u"index.html"_s));
    QVERIFY2(reloaded, messageOf(reloaded));
    auto fourth = store.openEditor(path(u"index.html"_s), nullptr);
    QVERIFY2(fourth, messageOf(fourth));
    std::unique_ptr<CodeEditor> d(*fourth);
    QCOMPARE(d->text(), u"<p>theirs</p>\n"_s);
    d.reset();
    store.close(path(u"index.html"_s));
}

void tst_Editor::save_writesAtomicallyAndClearsModified()
{
    const QString file = path(u"main.py"_s);
    QVERIFY(writeFile(file, "print('hi')\n"));
    // A second name for the same bytes: an atomic save replaces the file, leaving this one alone;
    // writing in place would change both.
    const QString link = path(u"before-save.py"_s);
    std::filesystem::create_hard_link(file.toStdString(), link.toStdString());

    DocumentStore store;
    QSignalSpy modified(&store, &DocumentStore::modificationChanged);
    auto opened = store.openEditor(file, nullptr);
    QVERIFY2(opened, messageOf(opened));
    std::unique_ptr<CodeEditor> editor(*opened);
    editor->insert(u"# héllo\n"_s); // QTest types ASCII only
    QVERIFY(store.isModified(file));

    const auto saved = store.save(file);
    QVERIFY2(saved, messageOf(saved));
    QCOMPARE(readFile(file), "# h\xc3\xa9llo\nprint('hi')\n");
    QCOMPARE(readFile(link), "print('hi')\n");
    QVERIFY(!store.isModified(file));
    QVERIFY(!editor->isModified());
    QVERIFY(store.modifiedPaths().isEmpty());
    QCOMPARE(modified.size(), 2);
    QCOMPARE(modified.last().at(1).toBool(), false);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden).size(), 2); // no temporary left

    QTest::keyClicks(editor.get(), u"x"_s);
    const auto all = store.saveAll();
    QVERIFY2(all, messageOf(all));
    QVERIFY(readFile(file).startsWith("x# h"));
}

void tst_Editor::changedByAnotherProgram_isReportedAndSaveRefuses_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("written in place") << u"in place"_s;
    QTest::newRow("replaced by rename") << u"rename"_s;
    QTest::newRow("deleted and written again") << u"recreate"_s;
}

void tst_Editor::changedByAnotherProgram_isReportedAndSaveRefuses()
{
    QFETCH(QString, how);
    const QString file = path(u"worker.py"_s);
    QVERIFY(writeFile(file, "a = 1\n"));
    DocumentStore store;
    QSignalSpy changed(&store, &DocumentStore::changedOnDisk);
    auto opened = store.openEditor(file, nullptr);
    QVERIFY2(opened, messageOf(opened));
    std::unique_ptr<CodeEditor> editor(*opened);
    editor->insert(u"b = 2\n"_s);

    if (how == u"in place"_s) {
        QVERIFY(writeFile(file, "a = 'theirs'\n"));
    } else if (how == u"rename"_s) {
        QVERIFY(writeFile(path(u"worker.py.tmp"_s), "a = 'theirs'\n"));
        QVERIFY(std::filesystem::exists(path(u"worker.py.tmp"_s).toStdString()));
        std::filesystem::rename(path(u"worker.py.tmp"_s).toStdString(), file.toStdString());
    } else {
        QVERIFY(QFile::remove(file));
        QTest::qWait(300); // the watcher sees the file gone before it comes back
        QVERIFY(writeFile(file, "a = 'theirs'\n"));
    }
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.last().at(0).toString(), DocumentStore::documentPath(file));
    QVERIFY(!changed.wait(500));                   // the same disk content is reported once
    QCOMPARE(editor->text(), u"b = 2\na = 1\n"_s); // nothing is reloaded behind the user's back

    const auto refused = store.save(file);
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(u"changed by another program"_s), messageOf(refused));
    QVERIFY2(refused.error().contains(QDir::toNativeSeparators(DocumentStore::documentPath(file))), messageOf(refused));
    QCOMPARE(readFile(file), "a = 'theirs'\n");

    const auto overwritten = store.save(file, SaveMode::Overwrite);
    QVERIFY2(overwritten, messageOf(overwritten));
    QCOMPARE(readFile(file), "b = 2\na = 1\n");
    QVERIFY(!store.isModified(file));
}

void tst_Editor::ownSave_isNotReportedAndWatchSurvives()
{
    const QString file = path(u"main.py"_s);
    QVERIFY(writeFile(file, "print(1)\n"));
    DocumentStore store;
    QSignalSpy changed(&store, &DocumentStore::changedOnDisk);
    auto opened = store.openEditor(file, nullptr);
    QVERIFY2(opened, messageOf(opened));
    std::unique_ptr<CodeEditor> editor(*opened);

    for (int i = 0; i < 3; ++i) {
        QTest::keyClicks(editor.get(), u"#"_s);
        const auto saved = store.save(file);
        QVERIFY2(saved, messageOf(saved));
    }
    QVERIFY(!changed.wait(1000));

    // The saves replaced the file (rename); the new one is still watched.
    QVERIFY(writeFile(file, "print('theirs')\n"));
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.size(), 1);
}

void tst_Editor::reload_bringsDiskContentAndKeepsCursorLine()
{
    const QString file = path(u"main.py"_s);
    QVERIFY(writeFile(file, numberedLines(20)));
    DocumentStore store;
    auto first = store.openEditor(file, nullptr);
    QVERIFY2(first, messageOf(first));
    auto second = store.openEditor(file, nullptr);
    QVERIFY2(second, messageOf(second));
    std::unique_ptr<CodeEditor> a(*first);
    std::unique_ptr<CodeEditor> b(*second);
    a->setCursorPosition(12, 3);
    b->setCursorPosition(4, 0);
    QTest::keyClicks(b.get(), u"mine "_s);

    QByteArray theirs = numberedLines(20).replace("line", "row");
    QVERIFY(writeFile(file, theirs));
    const auto reloaded = store.reload(file);
    QVERIFY2(reloaded, messageOf(reloaded));
    QCOMPARE(a->text(), QString::fromUtf8(theirs));
    QCOMPARE(b->text(), QString::fromUtf8(theirs));
    QCOMPARE(cursorLine(*a), 12);
    QCOMPARE(cursorLine(*b), 4);
    QVERIFY(!store.isModified(file));
    QVERIFY(!a->isModified());

    // What was reloaded is what Loom now knows: saving is not refused.
    QTest::keyClicks(a.get(), u"x"_s);
    const auto saved = store.save(file);
    QVERIFY2(saved, messageOf(saved));

    // Fewer lines than the cursor's: the cursor goes to the last line.
    QVERIFY(writeFile(file, "one\ntwo\n"));
    QVERIFY(store.reload(file));
    QCOMPARE(cursorLine(*a), 2);
}

void tst_Editor::badFile_givesClearError_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes"); // empty: not created
    QTest::addColumn<QString>("message");
    QTest::newRow("Latin-1") << u"latin1.py"_s << QByteArray("caf\xe9 = 1\n") << u"is not UTF-8 text"_s;
    QTest::newRow("UTF-16") << u"utf16.txt"_s << QByteArray("\xff\xfeh\0i\0", 6) << u"binary"_s;
    QTest::newRow("truncated sequence") << u"cut.json"_s << QByteArray("{\"a\": \"\xe2\x82\"}") << u"is not UTF-8"_s;
    QTest::newRow("missing") << u"missing.py"_s << QByteArray() << u"Cannot open"_s;
    QTest::newRow("unreadable") << u"secret.py"_s << QByteArray("x = 1\n") << u"Cannot read"_s;
    QTest::newRow("folder") << u"."_s << QByteArray() << u"is not a regular file"_s;
#ifdef Q_OS_LINUX
    // Opens as a regular file, then reading fails (EIO), even for root.
    QTest::newRow("read error") << u"/proc/self/mem"_s << QByteArray() << u"Cannot read"_s;
#endif
}

void tst_Editor::badFile_givesClearError()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    const QString file = QDir::isAbsolutePath(name) ? name : QDir::cleanPath(path(name));
    if (!bytes.isEmpty())
        QVERIFY(writeFile(file, bytes));
    if (name == u"secret.py"_s) {
        QVERIFY(QFile::setPermissions(file, QFileDevice::WriteOwner));
        if (QFile probe(file); probe.open(QIODevice::ReadOnly))
            QSKIP("running as root: permissions do not stop reading");
    }

    DocumentStore store;
    QWidget parent;
    const auto opened = store.openEditor(file, &parent);
    QVERIFY(!opened);
    QVERIFY2(opened.error().contains(message), messageOf(opened));
    QVERIFY2(opened.error().contains(QDir::toNativeSeparators(DocumentStore::documentPath(file))), messageOf(opened));
    QVERIFY(parent.findChildren<CodeEditor *>().isEmpty());
    QVERIFY(store.openPaths().isEmpty());
}

void tst_Editor::close_deletesEditorsAndForgetsDocument()
{
    const QString file = path(u"style.css"_s);
    QVERIFY(writeFile(file, "body { color: red; }\n"));
    DocumentStore store;
    QWidget parent;
    auto opened = store.openEditor(file, &parent);
    QVERIFY2(opened, messageOf(opened));
    QPointer<CodeEditor> editor = *opened;
    QTest::keyClicks(editor, u"/* unsaved */"_s);

    store.close(file);
    QVERIFY(store.openPaths().isEmpty());
    QVERIFY(!store.isModified(file));
    QTRY_VERIFY(editor.isNull());

    auto again = store.openEditor(file, &parent);
    QVERIFY2(again, messageOf(again));
    QCOMPARE((*again)->text(), u"body { color: red; }\n"_s);
}

QTEST_MAIN(tst_Editor)
#include "tst_editor.moc"
