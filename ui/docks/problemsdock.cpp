#include "problemsdock.h"

#include "runtime/diagnosticmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;

ProblemsDock::ProblemsDock(DiagnosticModel *model, QWidget *parent)
    : QDockWidget(tr("Problems"), parent)
    , m_model(model)
    , m_table(new QTableView)
    , m_status(new QLabel)
{
    setObjectName(QStringLiteral("ProblemsDock"));
    m_table->setObjectName(QStringLiteral("problemsTable"));
    m_table->setModel(model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(DiagnosticModel::Severity, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(DiagnosticModel::File, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(DiagnosticModel::Line, QHeaderView::ResizeToContents);
    m_status->setObjectName(QStringLiteral("problemsStatus"));
    m_status->setWordWrap(true);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_status);
    layout->addWidget(m_table);
    setWidget(content);

    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT openLocation(index.data(DiagnosticModel::FileRole).toString(), index.data(DiagnosticModel::LineRole).toInt());
    });
    connect(model, &QAbstractItemModel::modelReset, this, &ProblemsDock::updateTitle);
    updateTitle();
}

void ProblemsDock::setStatus(const QString &text)
{
    m_status->setText(text);
}

void ProblemsDock::updateTitle()
{
    const int errors = m_model->errorCount();
    const int warnings = m_model->warningCount();
    setWindowTitle(errors + warnings == 0 ? tr("Problems") : tr("Problems (%1)").arg(errors + warnings));
    m_status->setText(errors + warnings == 0 ? tr("No problems found.")
                                             : tr("%1 error(s), %2 warning(s)").arg(errors).arg(warnings));
}

} // namespace Loom::Ui
