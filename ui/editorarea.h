#pragma once

#include "runtime/debug/breakpoint.h"
#include "runtime/project/project.h"
#include "runtime/project/projectscan.h"
#include "runtime/result.h"

#include <QMessageBox>
#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <functional>

class QLabel;
class QSplitter;
class QTabWidget;

namespace Loom::Ui {

class CodeEditor;
class DocumentStore;

// The project's code, side by side: the main script (and the page) on the left, the workers on
// the right, a tab each. Inline <script>s are edited where they live: a tab on index.html's own
// document, scrolled to the script; all tabs of one file share one document, so every edit is
// in the file that gets saved.
class EditorArea final : public QWidget
{
    Q_OBJECT

public:
    // Asked before unsaved changes would be lost: Save, Discard or Cancel.
    using UnsavedPrompt = std::function<QMessageBox::StandardButton(const QStringList &files)>;

    explicit EditorArea(QWidget *parent = nullptr);
    ~EditorArea() override;
    Q_DISABLE_COPY_MOVE(EditorArea)

    // Opens a tab per script of the page (read from index.html) and the page itself.
    void openProject(const Runtime::Project &project);
    void closeProject();
    QString projectDir() const { return m_project.root(); }

    // Shows the file (a new tab on the left if it has none), with the cursor on `line` (1-based,
    // marked); paths are relative to the project or absolute inside it.
    CodeEditor *openFile(const QString &path, int line = 0);
    // What Save, Find, Go to Line and F9 act on: the editor last focused, chosen by its tab or
    // opened at a line, while its tab is shown, even with the focus in a dock; else the left pane's.
    CodeEditor *currentEditor() const;
    QTabWidget *mainTabs() const { return m_mainTabs; }
    QTabWidget *workerTabs() const { return m_workerTabs; }
    DocumentStore *documents() const { return m_documents; }

    Runtime::Result<> saveCurrent();
    Runtime::Result<> saveAll();
    QStringList modifiedFiles() const;
    // True when no unsaved change would be lost: nothing modified, or the user saved or discarded.
    bool confirmDiscard();
    void setUnsavedPrompt(UnsavedPrompt prompt) { m_prompt = std::move(prompt); }

    // Files changed by another program while open here, waiting for the user's choice.
    QStringList changedOnDisk() const { return m_changedOnDisk; }
    void reloadFromDisk(const QString &path);
    void keepMine(const QString &path); // writes the editor's text over the other program's

    // The breakpoints of every open file, where their markers are now (they move with the text).
    QList<Runtime::Breakpoint> breakpoints() const;
    // Sets the markers of the files open now and of those opened later (kept per project).
    void setBreakpoints(const QList<Runtime::Breakpoint> &breakpoints);
    // Opens the breakpoint dialog for `line` of `path`'s editor (adds a breakpoint if there is
    // none). Returns whether the user accepted.
    bool editBreakpoint(CodeEditor *editor, int line);
    // Where a paused thread stands: opens the file there with the paused-line arrow; an empty
    // path clears it.
    void showPausedAt(const QString &path, int line);

Q_SIGNALS:
    void message(const QString &text);
    void breakpointsChanged();

private:
    CodeEditor *addTab(QTabWidget *tabs, const QString &path, const QString &title, int line);
    void updateTabTitles(const QString &path);
    void showDiskBanner();
    QString absolute(const QString &path) const;
    QList<CodeEditor *> editorsOf(const QString &path) const;
    // One editor per open file (tabs of one file share its document), by project-relative path.
    QList<std::pair<QString, CodeEditor *>> openFiles() const;
    // The kept breakpoints of a file (its markers, once it is open, are the truth).
    QList<Runtime::Breakpoint> breakpointsOf(const QString &relative) const;
    // The margin's menu on a line: add, edit or remove its breakpoint, or add a log point.
    void showBreakpointMenu(CodeEditor *editor, int line, const QPoint &globalPos);

    Runtime::Project m_project;
    DocumentStore *m_documents = nullptr;
    QSplitter *m_splitter = nullptr;
    QTabWidget *m_mainTabs = nullptr;
    QTabWidget *m_workerTabs = nullptr;
    QPointer<CodeEditor> m_current; // see currentEditor()
    QWidget *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QStringList m_changedOnDisk;
    QList<Runtime::Breakpoint> m_breakpoints; // of files not open yet
    UnsavedPrompt m_prompt;
};

} // namespace Loom::Ui
