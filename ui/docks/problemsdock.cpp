#include "problemsdock.h"

#include "runtime/models/diagnosticmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;

ProblemsDock::ProblemsDock(DiagnosticModel *model, QWidget *parent)
    : QDockWidget(tr("Problems"), parent)
    , m_model(model)
    , m_table(new QTableView)
    , m_status(new QLabel)
    , m_fetch(new QPushButton(tr("Fetch Missing Packages")))
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
    m_fetch->setObjectName(QStringLiteral("fetchPackagesButton"));
    m_fetch->setToolTip(
        tr("Download the Pyodide packages the configs ask for into Loom's package cache: later runs work offline"));
    m_fetch->hide();
    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_fetch);
    layout->addLayout(top);
    layout->addWidget(m_table);
    setWidget(content);

    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT openLocation(index.data(DiagnosticModel::FileRole).toString(),
                            index.data(DiagnosticModel::LineRole).toInt());
    });
    connect(m_fetch, &QPushButton::clicked, this, &ProblemsDock::fetchPackagesRequested);
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
    bool packagesMissing = false;
    for (int row = 0; row < m_model->rowCount() && !packagesMissing; ++row)
        packagesMissing = m_model->index(row, 0).data(DiagnosticModel::CodeRole).toString() == u"offline-packages";
    m_fetch->setVisible(packagesMissing);
    m_status->setText(errors + warnings == 0 ? tr("No problems found.")
                                             : tr("%1 error(s), %2 warning(s)").arg(errors).arg(warnings));
}

} // namespace Loom::Ui
