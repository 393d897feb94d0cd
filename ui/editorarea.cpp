#include "editorarea.h"

#include "editor/breakpointdialog.h"
#include "editor/codeeditor.h"
#include "editor/documentstore.h"
#include "editor/pythoncompleter.h"

#include <algorithm>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;
using namespace Qt::StringLiterals;

namespace {
constexpr char PathProperty[] = "loomPath";
constexpr char TitleProperty[] = "loomTitle";
constexpr char StartLineProperty[] = "loomStartLine"; // an inline script's first line, else 0

QTabWidget *makeTabs(const QString &name)
{
    auto *tabs = new QTabWidget;
    tabs->setObjectName(name);
    tabs->setDocumentMode(true);
    tabs->setMovable(true);
    return tabs;
}
} // namespace

EditorArea::EditorArea(QWidget *parent)
    : QWidget(parent)
    , m_documents(new DocumentStore(this))
    , m_splitter(new QSplitter(Qt::Horizontal))
    , m_mainTabs(makeTabs(QStringLiteral("mainTabs")))
    , m_workerTabs(makeTabs(QStringLiteral("workerTabs")))
    , m_banner(new QWidget)
    , m_bannerText(new QLabel)
{
    m_splitter->addWidget(m_mainTabs);
    m_splitter->addWidget(m_workerTabs);
    m_splitter->setChildrenCollapsible(false);

    // A file changed by another program: offered for reload, never silently overwritten.
    m_banner->setObjectName(QStringLiteral("diskBanner"));
    m_banner->setAutoFillBackground(true);
    m_banner->setBackgroundRole(QPalette::ToolTipBase);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(8, 4, 8, 4);
    bannerLayout->addWidget(m_bannerText, 1);
    auto *reload = new QPushButton(tr("Reload"));
    reload->setObjectName(QStringLiteral("reloadButton"));
    auto *keep = new QPushButton(tr("Overwrite with mine"));
    keep->setObjectName(QStringLiteral("keepButton"));
    bannerLayout->addWidget(reload);
    bannerLayout->addWidget(keep);
    m_bannerText->setForegroundRole(QPalette::ToolTipText);
    m_banner->hide();
    connect(reload, &QPushButton::clicked, this, [this] {
        if (!m_changedOnDisk.isEmpty())
            reloadFromDisk(m_changedOnDisk.first());
    });
    connect(keep, &QPushButton::clicked, this, [this] {
        if (!m_changedOnDisk.isEmpty())
            keepMine(m_changedOnDisk.first());
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    // The current editor is the one last focused, chosen by its tab, or shown at a location: the
    // one Save, Find and F9 act on, wherever the focus went since (the console, the find bar).
    for (QTabWidget *tabs : {m_mainTabs, m_workerTabs}) {
        connect(tabs, &QTabWidget::currentChanged, this, [this, tabs] {
            if (auto *editor = qobject_cast<CodeEditor *>(tabs->currentWidget()))
                m_current = editor;
        });
    }
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        for (QWidget *widget = now; widget && widget != this; widget = widget->parentWidget()) {
            if (auto *editor = qobject_cast<CodeEditor *>(widget)) {
                if (isAncestorOf(editor)) // not another window's
                    m_current = editor;
                return;
            }
        }
    });

    connect(m_documents, &DocumentStore::changedOnDisk, this, [this](const QString &path) {
        if (!m_changedOnDisk.contains(path))
            m_changedOnDisk.append(path);
        showDiskBanner();
    });
    connect(m_documents, &DocumentStore::modificationChanged, this,
            [this](const QString &path, bool) { updateTabTitles(path); });
    m_prompt = [this](const QStringList &files) {
        return QMessageBox::question(this, tr("Unsaved changes"),
                                     tr("These files have unsaved changes:\n%1\n\nSave them?").arg(files.join(u'\n')),
                                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };
}

EditorArea::~EditorArea() = default;

QString EditorArea::absolute(const QString &path) const
{
    return m_project.filePath(path);
}

void EditorArea::openProject(const Project &project)
{
    closeProject();
    m_project = project;
    const QString html = m_project.entryPagePath();
    const QString htmlName = Project::entryPageName();
    const QList<PageScript> scripts = m_project.entryScripts();

    QStringList configs;
    for (const PageScript &script : scripts) {
        QTabWidget *tabs = script.worker ? m_workerTabs : m_mainTabs;
        const QString label = script.worker ? (script.name.isEmpty() ? tr("worker") : script.name) : tr("main");
        if (!script.src.isEmpty()) {
            addTab(tabs, absolute(script.src), QStringLiteral("%1 · %2").arg(label, QFileInfo(script.src).fileName()),
                   0);
        } else {
            // Inline: the page's own document, at the script's first line of code.
            addTab(tabs, html, QStringLiteral("%1 · %2:%3").arg(label, htmlName).arg(script.tagLine),
                   script.tagLine + 1);
        }
        if (!script.config.isEmpty() && !script.config.trimmed().startsWith(u'{') && !configs.contains(script.config)) {
            configs.append(script.config);
            addTab(tabs, absolute(script.config), QFileInfo(script.config).fileName(), 0);
        }
    }
    addTab(m_mainTabs, html, htmlName, 0);
    m_mainTabs->setCurrentIndex(0);
    if (m_workerTabs->count() == 0)
        m_workerTabs->hide();
    else
        m_workerTabs->setCurrentIndex(0);
    m_current = qobject_cast<CodeEditor *>(m_mainTabs->currentWidget());
}

void EditorArea::closeProject()
{
    for (QTabWidget *tabs : {m_mainTabs, m_workerTabs}) {
        // The store deletes the editors as it closes their documents.
        while (tabs->count() > 0)
            tabs->removeTab(0);
        tabs->show();
    }
    for (const QString &path : m_documents->openPaths())
        m_documents->close(path);
    m_changedOnDisk.clear();
    m_banner->hide();
    m_project = {};
}

CodeEditor *EditorArea::addTab(QTabWidget *tabs, const QString &path, const QString &title, int line)
{
    auto editor = m_documents->openEditor(path, tabs);
    if (!editor) {
        Q_EMIT message(editor.error());
        return nullptr;
    }
    CodeEditor *view = *editor;
    view->setProperty(PathProperty, path);
    view->setProperty(TitleProperty, title);
    view->setProperty(StartLineProperty, line);
    const int index = tabs->addTab(view, title);
    tabs->setTabToolTip(index, m_project.relativePath(path));
    // Python files complete from Jedi (inline scripts in index.html are HTML to the editor).
    if (view->language() == u"python" && !view->findChild<PythonCompleter *>())
        new PythonCompleter(view, m_project.root(), m_project.relativePath(path));
    // A file's breakpoints, when its first editor opens (markers live in the shared document).
    if (const QList<CodeEditor *> views = editorsOf(path); views.size() == 1) {
        if (const QList<Breakpoint> points = breakpointsOf(m_project.relativePath(path)); !points.isEmpty())
            view->setBreakpoints(points);
    } else {
        view->shareBreakpointsWith(views.first() == view ? views.last() : views.first());
    }
    connect(view, &CodeEditor::breakpointsChanged, this, &EditorArea::breakpointsChanged);
    connect(view, &CodeEditor::breakpointMenuRequested, this,
            [this, view](int line, const QPoint &globalPos) { showBreakpointMenu(view, line, globalPos); });
    if (line > 0)
        view->goToLine(line);
    return view;
}

QList<CodeEditor *> EditorArea::editorsOf(const QString &path) const
{
    QList<CodeEditor *> editors;
    for (QTabWidget *tabs : {m_mainTabs, m_workerTabs}) {
        for (int i = 0; i < tabs->count(); ++i) {
            if (tabs->widget(i)->property(PathProperty).toString() == path)
                editors.append(static_cast<CodeEditor *>(tabs->widget(i)));
        }
    }
    return editors;
}

CodeEditor *EditorArea::openFile(const QString &path, int line)
{
    const QString file = absolute(path);
    if (!m_project.contains(file)) {
        Q_EMIT message(tr("%1 is not inside the project.").arg(path));
        return nullptr;
    }
    // Prefer the tab whose script holds the line (inline scripts share index.html).
    CodeEditor *best = nullptr;
    int bestStart = -1;
    for (CodeEditor *editor : editorsOf(file)) {
        const int start = editor->property(StartLineProperty).toInt();
        if (!best || (start <= line && start > bestStart)) {
            best = editor;
            bestStart = start;
        }
    }
    if (!best)
        best = addTab(m_mainTabs, file, QFileInfo(file).fileName(), 0);
    if (!best)
        return nullptr;
    auto *tabs = qobject_cast<QTabWidget *>(best->parentWidget()->parentWidget());
    if (tabs) {
        tabs->show();
        tabs->setCurrentWidget(best);
    }
    if (line > 0)
        best->markLine(line);
    best->setFocus();
    m_current = best;
    return best;
}

CodeEditor *EditorArea::currentEditor() const
{
    if (m_current && (m_current == m_mainTabs->currentWidget() || m_current == m_workerTabs->currentWidget()))
        return m_current;
    return qobject_cast<CodeEditor *>(m_mainTabs->currentWidget());
}

Result<> EditorArea::saveCurrent()
{
    CodeEditor *editor = currentEditor();
    if (!editor)
        return {};
    return m_documents->save(editor->property(PathProperty).toString());
}

Result<> EditorArea::saveAll()
{
    return m_documents->saveAll();
}

QStringList EditorArea::modifiedFiles() const
{
    QStringList files;
    for (const QString &path : m_documents->modifiedPaths())
        files.append(m_project.relativePath(path));
    return files;
}

bool EditorArea::confirmDiscard()
{
    const QStringList files = modifiedFiles();
    if (files.isEmpty())
        return true;
    switch (m_prompt(files)) {
    case QMessageBox::Save:
        if (auto saved = saveAll(); !saved) {
            Q_EMIT message(saved.error());
            return false;
        }
        return true;
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void EditorArea::reloadFromDisk(const QString &path)
{
    if (auto reloaded = m_documents->reload(path); !reloaded)
        Q_EMIT message(reloaded.error());
    m_changedOnDisk.removeAll(path);
    showDiskBanner();
}

void EditorArea::keepMine(const QString &path)
{
    // The user chose their text over the other program's: write it, on purpose.
    if (auto saved = m_documents->save(path, SaveMode::Overwrite); !saved) {
        Q_EMIT message(saved.error());
        return;
    }
    m_changedOnDisk.removeAll(path);
    showDiskBanner();
}

void EditorArea::showDiskBanner()
{
    if (m_changedOnDisk.isEmpty()) {
        m_banner->hide();
        return;
    }
    const QString path = m_changedOnDisk.first();
    m_bannerText->setText(tr("%1 was changed by another program.%2")
                              .arg(m_project.relativePath(path), m_documents->isModified(path)
                                                                     ? tr(" You also have unsaved changes in it.")
                                                                     : QString()));
    m_banner->show();
}

void EditorArea::updateTabTitles(const QString &path)
{
    const bool modified = m_documents->isModified(path);
    for (CodeEditor *editor : editorsOf(path)) {
        auto *tabs = qobject_cast<QTabWidget *>(editor->parentWidget()->parentWidget());
        if (!tabs)
            continue;
        const QString title = editor->property(TitleProperty).toString();
        tabs->setTabText(tabs->indexOf(editor), modified ? u"● "_s + title : title);
    }
}

QList<std::pair<QString, CodeEditor *>> EditorArea::openFiles() const
{
    QList<std::pair<QString, CodeEditor *>> files;
    for (QTabWidget *tabs : {m_mainTabs, m_workerTabs}) {
        for (int i = 0; i < tabs->count(); ++i) {
            auto *editor = qobject_cast<CodeEditor *>(tabs->widget(i));
            if (!editor)
                continue;
            const QString relative = m_project.relativePath(editor->property(PathProperty).toString());
            if (std::ranges::none_of(files, [&relative](const auto &file) { return file.first == relative; }))
                files.append({relative, editor});
        }
    }
    return files;
}

QList<Breakpoint> EditorArea::breakpointsOf(const QString &relative) const
{
    QList<Breakpoint> points;
    for (const Breakpoint &point : m_breakpoints) {
        if (point.file == relative)
            points.append(point);
    }
    return points;
}

QList<Breakpoint> EditorArea::breakpoints() const
{
    QList<Breakpoint> points;
    const auto open = openFiles();
    for (const auto &[relative, editor] : open) {
        for (Breakpoint point : editor->breakpoints()) {
            point.file = relative;
            points.append(point);
        }
    }
    for (const Breakpoint &point : m_breakpoints) {
        if (std::ranges::none_of(open, [&point](const auto &file) { return file.first == point.file; }))
            points.append(point);
    }
    return points;
}

void EditorArea::setBreakpoints(const QList<Breakpoint> &breakpoints)
{
    m_breakpoints = breakpoints;
    for (const auto &[relative, editor] : openFiles())
        editor->setBreakpoints(breakpointsOf(relative));
}

bool EditorArea::editBreakpoint(CodeEditor *editor, int line)
{
    Breakpoint point = editor->breakpointAt(line).value_or(Breakpoint{QString(), line});
    point.file = m_project.relativePath(editor->property(PathProperty).toString());
    BreakpointDialog dialog(point, this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    editor->setBreakpoint(dialog.breakpoint());
    return true;
}

void EditorArea::showBreakpointMenu(CodeEditor *editor, int line, const QPoint &globalPos)
{
    QMenu menu(this);
    const bool has = editor->breakpointAt(line).has_value();
    menu.addAction(has ? tr("Remove Breakpoint") : tr("Add Breakpoint"), this,
                   [editor, line] { editor->toggleBreakpoint(line); });
    menu.addAction(has ? tr("Edit Breakpoint...") : tr("Add Conditional Breakpoint..."), this,
                   [this, editor, line] { editBreakpoint(editor, line); });
    if (!has) {
        menu.addAction(tr("Add Log Point..."), this, [this, editor, line] { editBreakpoint(editor, line); });
    }
    menu.exec(globalPos);
}

void EditorArea::showPausedAt(const QString &path, int line)
{
    for (QTabWidget *tabs : {m_mainTabs, m_workerTabs}) {
        for (int i = 0; i < tabs->count(); ++i) {
            if (auto *editor = qobject_cast<CodeEditor *>(tabs->widget(i)))
                editor->setPausedLine(0);
        }
    }
    if (path.isEmpty())
        return;
    if (CodeEditor *editor = openFile(path, line))
        editor->setPausedLine(line);
}

} // namespace Loom::Ui
