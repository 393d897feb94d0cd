#pragma once

#include "runtime/project/samples.h"
#include "runtime/run/pagerunner.h"
#include "runtime/vendor/vendorfiles.h"

#include <QObject>
#include <QQueue>

#include <memory>

class QWebEngineProfile;
class QWebEngineView;

namespace Loom::Runtime {
class ProjectRun;
class VendorInterceptor;
} // namespace Loom::Runtime

namespace Loom::Ui {

// Renders each sample's thumbnail from the sample itself: Loom serves it, an off-screen view
// runs its scenario, and a picture of the page is taken once the scenario ends (passed or not).
// Thumbnails are cached as PNG files keyed by the sample's contents and Loom's version, so a
// sample is rendered again only when it changes. One sample renders at a time, and only while
// some gallery is on screen (galleryShown / galleryHidden).
class ThumbnailRenderer final : public QObject
{
    Q_OBJECT

public:
    explicit ThumbnailRenderer(const Runtime::VendorFiles &runtime, QObject *parent = nullptr);
    ~ThumbnailRenderer() override;
    Q_DISABLE_COPY_MOVE(ThumbnailRenderer)

    // $LOOM_THUMBNAIL_DIR, else the user's cache folder.
    static QString cacheDir();

    // Queues the sample; thumbnailReady follows, at once from the cache or once rendered.
    void request(const Runtime::SampleInfo &sample);
    void galleryShown();
    void galleryHidden();
    bool isIdle() const { return !m_current && m_queue.isEmpty() && m_hashing == 0; }

Q_SIGNALS:
    void thumbnailReady(const QString &sampleName, const QString &pngPath);
    // How the sample's page ended before its picture was taken: passed, a worker that failed to
    // start (a sample that needs the network, offline), the time-out.
    void pageEnded(const QString &sampleName, const Loom::Runtime::RunOutcome &outcome);

private:
    void enqueue(const Runtime::SampleInfo &sample, const QString &pngPath);
    void renderNext();
    void capture();
    void finishCurrent();

    struct Job
    {
        Runtime::SampleInfo sample;
        QString pngPath;
    };

    Runtime::VendorFiles m_runtime;
    QWebEngineProfile *m_profile = nullptr;
    Runtime::VendorInterceptor *m_interceptor = nullptr; // the runtime's public URLs -> m_run's server
    QWebEngineView *m_view = nullptr;
    QQueue<Job> m_queue;
    std::optional<Job> m_current;
    std::unique_ptr<Runtime::ProjectRun> m_run; // the sample being rendered
    std::unique_ptr<Runtime::PageRunner> m_runner;
    int m_hashing = 0;
    int m_galleriesShown = 0;
};

} // namespace Loom::Ui
