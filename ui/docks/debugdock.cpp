#include "debugdock.h"

#include "runtime/bridge/pagesession.h"

#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

namespace Loom::Ui {

using Runtime::DebugController;
using Runtime::DebugHit;
using namespace Qt::StringLiterals;

namespace {
constexpr int ThreadRole = Qt::UserRole + 1; // the thread's name, on its item and each below it
constexpr int FileRole = Qt::UserRole + 2;   // a frame's file and line
constexpr int LineRole = Qt::UserRole + 3;
constexpr int FrameRole = Qt::UserRole + 4; // a frame's index in the stack (+1: 0 is "none")
constexpr int MaxEvaluationLines = 500;
constexpr int RunningRefreshMs = 200;
constexpr qsizetype MaxRememberedExpansions = 2000;

QString threadOf(const QTreeWidgetItem *item)
{
    return item ? item->data(0, ThreadRole).toString() : QString();
}

QTreeWidgetItem *item(QTreeWidgetItem *parent, const QString &name, const QString &value, const QString &thread)
{
    auto *node = new QTreeWidgetItem(parent, {name, value});
    node->setData(0, ThreadRole, thread);
    node->setToolTip(1, value);
    return node;
}
} // namespace

DebugDock::DebugDock(QWidget *parent)
    : QDockWidget(tr("Debug"), parent)
    , m_tree(new QTreeWidget)
    , m_status(new QLabel(tr("Set breakpoints with F9 (or a click in the margin), then Run > Debug (F6).")))
    , m_continue(new QPushButton(tr("Continue")))
    , m_expression(new QLineEdit)
    , m_output(new QPlainTextEdit)
    , m_runningChanged(new QTimer(this))
{
    m_runningChanged->setSingleShot(true);
    m_runningChanged->setInterval(RunningRefreshMs);
    connect(m_runningChanged, &QTimer::timeout, this, &DebugDock::showRunning);
    setObjectName(QStringLiteral("debugDock"));
    m_tree->setObjectName(QStringLiteral("debugTree"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Name"), tr("Value")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    m_continue->setToolTip(tr("Let the selected thread go on (F8)"));
    m_continue->setEnabled(false);
    m_status->setWordWrap(true);
    m_expression->setObjectName(QStringLiteral("evaluateEdit"));
    m_expression->setPlaceholderText(tr("Evaluate a Python expression in the selected frame (Enter)"));
    m_expression->setEnabled(false);
    m_output->setObjectName(QStringLiteral("evaluations"));
    m_output->setReadOnly(true);
    m_output->setMaximumBlockCount(MaxEvaluationLines);
    m_output->setFixedHeight(m_output->fontMetrics().lineSpacing() * 4 + 8);
    auto *strip = new QHBoxLayout;
    strip->addWidget(m_status, 1);
    strip->addWidget(m_continue);
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(strip);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_output);
    layout->addWidget(m_expression);
    setWidget(content);
    connect(m_continue, &QPushButton::clicked, this, [this] {
        if (const quint64 id = currentPausedId())
            Q_EMIT continueRequested(id);
    });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *current) {
        if (const QString thread = threadOf(current); !thread.isEmpty())
            m_selectedThread = thread;
    });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *activated) {
        if (const int frame = activated->data(0, FrameRole).toInt(); frame > 0) {
            m_selectedThread = threadOf(activated);
            m_frameOf.insert(m_selectedThread, frame - 1);
            rebuild();
        }
        if (const int line = activated->data(0, LineRole).toInt(); line > 0)
            Q_EMIT openLocation(activated->data(0, FileRole).toString(), line);
    });
    connect(m_expression, &QLineEdit::returnPressed, this, &DebugDock::evaluate);
}

void DebugDock::setSession(Runtime::PageSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (session) {
        // A worker that starts, is ready or fails changes the list (not every event does).
        // Coalesced: a burst of calls changes a worker's state thousands of times a second.
        connect(session, &Runtime::PageSession::workerChanged, this, [this] {
            if (!m_runningChanged->isActive())
                m_runningChanged->start();
        });
        connect(session, &QObject::destroyed, this, [this] { m_session = nullptr; });
    }
    rebuild();
}

QList<std::pair<QString, QString>> DebugDock::runningThreads() const
{
    QList<std::pair<QString, QString>> threads;
    if (!m_session)
        return threads;
    const auto paused = [this](const QString &thread) {
        return std::ranges::any_of(m_paused, [&thread](const auto &entry) { return entry.hit.thread == thread; });
    };
    for (const Runtime::PageScript &script : m_session->pageScripts()) {
        const QString thread = u"main:"_s + script.type;
        if (!script.worker && !paused(thread)
            && std::ranges::none_of(threads, [&thread](const auto &known) { return known.first == thread; }))
            threads.append({thread, tr("running")});
    }
    for (const Runtime::WorkerInfo &worker : m_session->workers().workers()) {
        const QString thread = u"worker:"_s + worker.name;
        if (!paused(thread))
            threads.append({thread, Runtime::workerStateName(worker.state)});
    }
    return threads;
}

void DebugDock::showPaused(const QList<DebugController::Paused> &paused)
{
    m_paused = paused;
    QSet<quint64> now;
    for (const DebugController::Paused &entry : paused) {
        now.insert(entry.id);
        if (m_seen.contains(entry.id) || !entry.hit.evaluated)
            continue;
        const DebugHit::Evaluation &evaluation = *entry.hit.evaluated;
        const QString where = evaluation.frame < entry.hit.stack.size()
                                  ? entry.hit.stack.at(evaluation.frame).function + u"()"
                                  : entry.hit.function + u"()";
        m_output->appendPlainText(tr("%1, %2: %3 = %4")
                                      .arg(entry.hit.thread, where, evaluation.expression,
                                           evaluation.error.isEmpty() ? evaluation.value : evaluation.error));
    }
    m_seen = now;
    // A thread no longer paused forgets its selected frame (its next pause is elsewhere).
    for (auto it = m_frameOf.begin(); it != m_frameOf.end();) {
        if (std::ranges::none_of(paused, [&it](const auto &entry) { return entry.hit.thread == it.key(); }))
            it = m_frameOf.erase(it);
        else
            ++it;
    }
    rebuild();
}

void DebugDock::rebuild()
{
    // What the user opened or closed stays so when the same thread pauses again (a step, an
    // evaluation, the next hit): remembered by the names along the way ("worker:primes/Globals"),
    // across the moments the thread runs.
    const auto pathOf = [](const QTreeWidgetItem *node) {
        QStringList names;
        for (; node; node = node->parent())
            names.prepend(node->text(0));
        return names.join(u'/');
    };
    if (m_expanded.size() > MaxRememberedExpansions)
        m_expanded.clear();
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        if ((*it)->childCount() > 0)
            m_expanded.insert(pathOf(*it), (*it)->isExpanded());
    }
    m_tree->clear();
    m_continue->setEnabled(!m_paused.isEmpty());
    m_expression->setEnabled(!m_paused.isEmpty());
    m_status->setText(m_paused.isEmpty() ? tr("No thread is paused.")
                                         : tr("%n thread(s) paused. Continue (F8) lets the selected one go on.",
                                              nullptr, int(m_paused.size())));
    QFont bold = m_tree->font();
    bold.setBold(true);
    for (const DebugController::Paused &entry : std::as_const(m_paused)) {
        const DebugHit &hit = entry.hit;
        const int frame = std::clamp(m_frameOf.value(hit.thread, 0), 0,
                                     int(std::max<qsizetype>(0, hit.stack.size() - 1)));
        const QString where = tr("%1:%2 in %3()").arg(hit.file).arg(hit.line).arg(hit.function);
        auto *thread = new QTreeWidgetItem(
            m_tree,
            {hit.thread, hit.exception.isEmpty() ? tr("paused at %1").arg(where)
                                                 : tr("paused at an %1 exception, %2").arg(hit.exceptionKind, where)});
        thread->setData(0, ThreadRole, hit.thread);
        thread->setData(0, FileRole, hit.file);
        thread->setData(0, LineRole, hit.line);
        if (!hit.exception.isEmpty()) {
            QTreeWidgetItem *exception = item(thread, tr("Exception"), hit.exception, hit.thread);
            exception->setForeground(1, QColor(0xc0, 0x20, 0x20));
        }
        QTreeWidgetItem *stack = item(thread, tr("Stack"), QString(), hit.thread);
        // Runtime frames are folded, as VS Code folds skipped ones: a grey line says how many.
        const auto fold = [&](int count) {
            if (count <= 0)
                return;
            QTreeWidgetItem *folded = item(stack, tr("⋯ %n runtime frame(s)", nullptr, count), QString(), hit.thread);
            folded->setForeground(0, m_tree->palette().color(QPalette::Disabled, QPalette::Text));
            folded->setToolTip(0,
                               tr("PyScript's, Pyodide's or the standard library's code between the project's frames"));
        };
        for (qsizetype i = 0; i < hit.stack.size(); ++i) {
            const DebugHit::Frame &shown = hit.stack.at(i);
            fold(shown.folded);
            QTreeWidgetItem *node = item(stack, shown.function + u"()",
                                         QStringLiteral("%1:%2").arg(shown.file).arg(shown.line), hit.thread);
            node->setData(0, FileRole, shown.file);
            node->setData(0, LineRole, shown.line);
            node->setData(0, FrameRole, int(i) + 1);
            if (i == frame)
                node->setFont(0, bold);
        }
        fold(hit.foldedOuter);
        const QString frameName = frame < hit.stack.size() ? hit.stack.at(frame).function + u"()" : QString();
        QTreeWidgetItem *locals = item(thread, frame == 0 ? tr("Locals") : tr("Locals of %1").arg(frameName),
                                       hit.localsMissing, hit.thread);
        if (frame == 0)
            addVariables(locals, hit.locals, hit.parts);
        else if (frame < hit.stack.size())
            addVariables(locals, hit.stack.at(frame).locals, {});
        QTreeWidgetItem *globals = item(thread, tr("Globals"), QString(), hit.thread);
        addVariables(globals, hit.globals, {});
        thread->setExpanded(true);
        stack->setExpanded(hit.stack.size() > 1);
        locals->setExpanded(true);
        if (hit.thread == m_selectedThread || (m_selectedThread.isEmpty() && m_tree->topLevelItemCount() == 1))
            m_tree->setCurrentItem(thread);
    }
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        if (const auto was = m_expanded.constFind(pathOf(*it)); was != m_expanded.cend())
            (*it)->setExpanded(*was);
    }
    showRunning();
}

// The threads that are not paused, greyed, below the paused ones: they have nothing to show but
// their state. Redone alone (a worker's state changes with every call), so the paused threads'
// items, and what the user expanded in them, stay.
void DebugDock::showRunning()
{
    for (int i = m_tree->topLevelItemCount() - 1; i >= 0; --i) {
        if (threadOf(m_tree->topLevelItem(i)).isEmpty())
            delete m_tree->takeTopLevelItem(i);
    }
    for (const auto &[name, state] : runningThreads()) {
        auto *thread = new QTreeWidgetItem(m_tree, {name, state});
        for (const int column : {0, 1})
            thread->setForeground(column, m_tree->palette().color(QPalette::Disabled, QPalette::Text));
    }
}

void DebugDock::addVariables(QTreeWidgetItem *parent, const DebugHit::Variables &variables,
                             const QMap<QString, DebugHit::Variables> &parts)
{
    const QString thread = threadOf(parent);
    for (const auto &[name, value] : variables) {
        QTreeWidgetItem *variable = item(parent, name, value, thread);
        for (const auto &[part, partValue] : parts.value(name))
            item(variable, part, partValue, thread);
    }
}

QString DebugDock::currentThread() const
{
    const auto selected = std::ranges::find_if(
        m_paused, [this](const DebugController::Paused &entry) { return entry.hit.thread == m_selectedThread; });
    if (selected != m_paused.end())
        return selected->hit.thread;
    return m_paused.isEmpty() ? QString() : m_paused.first().hit.thread;
}

quint64 DebugDock::currentPausedId() const
{
    const QString thread = currentThread();
    for (const DebugController::Paused &entry : m_paused) {
        if (entry.hit.thread == thread)
            return entry.id;
    }
    return 0;
}

int DebugDock::currentFrame() const
{
    return m_frameOf.value(currentThread(), 0);
}

void DebugDock::evaluate()
{
    const QString expression = m_expression->text().trimmed();
    const quint64 id = currentPausedId();
    if (expression.isEmpty() || id == 0)
        return;
    m_expression->clear();
    Q_EMIT evaluateRequested(id, currentFrame(), expression);
}

} // namespace Loom::Ui
