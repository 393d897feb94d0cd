#pragma once

#include <QWidget>

class QListWidget;

namespace Loom::Ui {

class Settings;

// What Loom shows with no project: recent projects, the samples, and "New project".
class StartPage final : public QWidget
{
    Q_OBJECT

public:
    explicit StartPage(Settings *settings, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StartPage)

    void refresh();

Q_SIGNALS:
    void openProject(const QString &dir);
    void openSampleCopy(const QString &sampleName);
    void newProject();
    void openFolder();

private:
    Settings *m_settings = nullptr;
    QListWidget *m_recent = nullptr;
    QListWidget *m_samples = nullptr;
};

} // namespace Loom::Ui
