#include "workersdock.h"

#include "ui/statuscolors.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/models/workertablemodel.h"
#include "runtime/packages/packagecache.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;

namespace {
// Paints the state column's light before its text.
class StateDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() != WorkerTableModel::State)
            return QStyledItemDelegate::paint(painter, option, index);
        QStyleOptionViewItem shifted = option;
        const int size = option.rect.height() / 2;
        shifted.rect.adjust(size + 10, 0, 0, 0);
        QStyledItemDelegate::paint(painter, shifted, index);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(StatusColors::forWorker(WorkerState(index.data(WorkerTableModel::StateRole).toInt())));
        painter->drawEllipse(QRect(option.rect.left() + 5, option.rect.center().y() - size / 2, size, size));
        painter->restore();
    }
};
} // namespace

WorkersDock::WorkersDock(QWidget *parent)
    : QDockWidget(tr("Workers"), parent)
    , m_model(new WorkerTableModel(this))
    , m_table(new QTableView)
{
    setObjectName(QStringLiteral("WorkersDock"));
    m_table->setObjectName(QStringLiteral("workersTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new StateDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_packages = new QWidget;
    m_packageLabel = new QLabel;
    m_packageLabel->setObjectName(QStringLiteral("packageProgressLabel"));
    m_packageBar = new QProgressBar;
    m_packageBar->setMaximumWidth(160);
    m_packageBar->setTextVisible(false);
    auto *strip = new QHBoxLayout(m_packages);
    strip->setContentsMargins(4, 2, 4, 2);
    strip->addWidget(m_packageLabel, 1);
    strip->addWidget(m_packageBar);
    m_packages->hide();
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_packages);
    setWidget(content);
    // A handful of rows: fit the columns as values change.
    connect(m_model, &QAbstractItemModel::dataChanged, m_table, &QTableView::resizeColumnsToContents);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, &QTableView::resizeColumnsToContents);
    // A failed worker's row leads to where it failed.
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const WorkerInfo *worker = m_model->workerAt(index.row());
        if (worker && !worker->lastErrorLocations.isEmpty())
            Q_EMIT openLocation(worker->lastErrorLocations.first().file, worker->lastErrorLocations.first().line);
    });
}

void WorkersDock::setSession(PageSession *session)
{
    m_model->setSession(session);
    m_table->resizeColumnsToContents();
}

void WorkersDock::showPackageProgress(const PackageProgress &progress)
{
    if (progress.finished) {
        m_downloading.removeAll(progress.fileName);
        m_packages->setVisible(!m_downloading.isEmpty());
        return;
    }
    if (!m_downloading.contains(progress.fileName))
        m_downloading.append(progress.fileName);
    const QString bytes = progress.total > 0
                              ? tr("%1 of %2 MB")
                                    .arg(QString::number(double(progress.received) / 1e6, 'f', 1),
                                         QString::number(double(progress.total) / 1e6, 'f', 1))
                              : tr("%1 MB").arg(QString::number(double(progress.received) / 1e6, 'f', 1));
    m_packageLabel->setText(
        tr("Fetching package %1 (%2): %3%4")
            .arg(progress.package, progress.fileName, bytes,
                 m_downloading.size() > 1 ? tr(", %1 more").arg(m_downloading.size() - 1) : QString()));
    m_packageBar->setRange(0, progress.total > 0 ? 1000 : 0); // unknown size: busy
    if (progress.total > 0)
        m_packageBar->setValue(int(1000 * progress.received / progress.total));
    m_packages->show();
}

QString WorkersDock::packageProgressText() const
{
    return m_packages->isVisible() || !m_downloading.isEmpty() ? m_packageLabel->text() : QString();
}

} // namespace Loom::Ui
