#pragma once

#include <QWidget>

class QListWidget;

namespace Loom::Runtime {
class SampleListModel;
}

namespace Loom::Ui {

class SampleGallery;
class Settings;
class ThumbnailRenderer;

// What Loom shows with no project: recent projects, the sample gallery, and "New project".
class StartPage final : public QWidget
{
    Q_OBJECT

public:
    StartPage(Settings *settings, Runtime::SampleListModel *samples, ThumbnailRenderer *thumbnails,
              QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StartPage)

    void refresh();
    SampleGallery *gallery() const { return m_gallery; }

Q_SIGNALS:
    void openProject(const QString &dir);
    void openSampleCopy(const QString &sampleName);
    void newProject();
    void openFolder();

private:
    Settings *m_settings = nullptr;
    QListWidget *m_recent = nullptr;
    SampleGallery *m_gallery = nullptr;
};

} // namespace Loom::Ui
