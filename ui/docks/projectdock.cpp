#include "projectdock.h"

#include <QFileSystemModel>
#include <QHeaderView>
#include <QTreeView>

namespace Loom::Ui {

ProjectDock::ProjectDock(QWidget *parent)
    : QDockWidget(tr("Project"), parent)
    , m_model(new QFileSystemModel(this))
    , m_tree(new QTreeView)
{
    setObjectName(QStringLiteral("ProjectDock"));
    m_model->setReadOnly(true);
    m_tree->setModel(m_model);
    m_tree->setHeaderHidden(true);
    for (int column = 1; column < m_model->columnCount(); ++column)
        m_tree->hideColumn(column);
    setWidget(m_tree);
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (!m_model->isDir(index))
            Q_EMIT openFile(m_model->filePath(index));
    });
}

void ProjectDock::setProjectDir(const QString &dir)
{
    m_tree->setRootIndex(m_model->setRootPath(dir));
}

} // namespace Loom::Ui
