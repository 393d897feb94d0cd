#pragma once

#include <QDockWidget>

class QFileSystemModel;
class QTreeView;

namespace Loom::Ui {

// Every file of the project folder; activating one opens it in an editor.
class ProjectDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit ProjectDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProjectDock)

    void setProjectDir(const QString &dir);

Q_SIGNALS:
    void openFile(const QString &path);

private:
    QFileSystemModel *m_model = nullptr; // watches and reads the folder on its own thread
    QTreeView *m_tree = nullptr;
};

} // namespace Loom::Ui
