#include "calllogdock.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/models/callfilterproxymodel.h"
#include "runtime/models/calltablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;

CallLogDock::CallLogDock(QWidget *parent)
    : QDockWidget(tr("Call log"), parent)
    , m_model(new CallTableModel(this))
    , m_proxy(new CallFilterProxyModel(this))
    , m_table(new QTableView)
    , m_worker(new QComboBox)
    , m_function(new QComboBox)
    , m_errorsOnly(new QCheckBox(tr("Errors only")))
{
    setObjectName(QStringLiteral("CallLogDock"));
    m_proxy->setSourceModel(m_model);
    m_table->setObjectName(QStringLiteral("callTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    // Virtualised: rows of one height, so the view never measures 10,000 of them.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(CallTableModel::Arguments, QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(CallTableModel::Outcome, QHeaderView::Stretch);
    // Widths for what the columns hold, so that the result keeps room in a narrow dock; measuring
    // the rows (ResizeToContents) would read thousands of them.
    const int digit = m_table->fontMetrics().horizontalAdvance(u'0');
    m_table->horizontalHeader()->resizeSection(CallTableModel::Worker, 10 * digit);
    m_table->horizontalHeader()->resizeSection(CallTableModel::Function, 12 * digit);
    m_table->horizontalHeader()->resizeSection(CallTableModel::Arguments, 14 * digit);
    m_table->horizontalHeader()->resizeSection(CallTableModel::MainMs, 9 * digit);
    m_table->horizontalHeader()->resizeSection(CallTableModel::WorkerMs, 9 * digit);
    m_table->setWordWrap(false);

    m_worker->addItem(tr("All workers"), QString());
    m_worker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_function->addItem(tr("All functions"), QString());
    m_function->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *clear = new QPushButton(tr("Clear"));
    auto *exportButton = new QPushButton(tr("Export JSON…"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_worker);
    bar->addWidget(m_function);
    bar->addWidget(m_errorsOnly);
    bar->addStretch();
    bar->addWidget(clear);
    bar->addWidget(exportButton);
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_table);
    setWidget(content);

    connect(m_worker, &QComboBox::activated, this, &CallLogDock::applyFilter);
    connect(m_function, &QComboBox::activated, this, &CallLogDock::applyFilter);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &CallLogDock::applyFilter);
    connect(clear, &QPushButton::clicked, m_model, &CallTableModel::clear);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the call log"), QStringLiteral("calls.json"),
                                                          tr("JSON (*.json)"));
        if (!path.isEmpty())
            exportTo(path);
    });
    // Follow new calls while the view is at the bottom.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        QScrollBar *scroll = m_table->verticalScrollBar();
        if (scroll->value() >= scroll->maximum() - 2)
            QMetaObject::invokeMethod(m_table, &QTableView::scrollToBottom, Qt::QueuedConnection);
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const CallRecord *call = m_model->callAt(m_proxy->mapToSource(index).row());
        if (call && !call->locations.isEmpty())
            Q_EMIT openLocation(call->locations.first().file, call->locations.first().line);
    });
}

void CallLogDock::setSession(PageSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_model->setSession(session);
    if (session) {
        connect(session, &PageSession::batchApplied, this, &CallLogDock::updateWorkers);
        connect(session, &QObject::destroyed, this, [this] { m_session = nullptr; });
    }
}

void CallLogDock::updateWorkers()
{
    if (!m_session)
        return;
    for (const WorkerInfo &worker : m_session->workers().workers()) {
        if (!worker.name.isEmpty() && m_worker->findData(worker.name) < 0)
            m_worker->addItem(worker.name, worker.name);
        for (const QString &function : worker.exports) {
            if (m_function->findData(function) < 0)
                m_function->addItem(function, function);
        }
    }
}

void CallLogDock::applyFilter()
{
    CallFilter filter;
    filter.worker = m_worker->currentData().toString();
    filter.function = m_function->currentData().toString();
    filter.errorsOnly = m_errorsOnly->isChecked();
    m_proxy->setFilter(filter);
}

bool CallLogDock::exportTo(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(m_model->exportJson(m_proxy->filter()));
    return file.commit();
}

} // namespace Loom::Ui
