#include "thumbnailrenderer.h"

#include "runtime/run/projectrun.h"
#include "runtime/vendor/vendorinterceptor.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QStandardPaths>
#include <QTimer>
#include <QWebEngineProfile>
#include <QWebEngineView>
#include <QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace Loom::Ui {

using namespace Runtime;
using namespace Qt::StringLiterals;

namespace {
constexpr QSize PageSize(1000, 680); // the page as a laptop shows it
constexpr int ThumbnailWidth = 360;
constexpr auto RenderTimeout = std::chrono::seconds(60);
constexpr int SettleMs = 400; // after the scenario: let the page paint its result

// The sample's contents and Loom's version: a thumbnail is stale when either changes.
QString contentKey(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    std::sort(files.begin(), files.end());
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(QCoreApplication::applicationVersion().toUtf8());
    const QDir root(dir);
    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        hash.addData(root.relativeFilePath(path).toUtf8());
        hash.addData(file.readAll());
    }
    return QString::fromLatin1(hash.result().toHex().left(16));
}
} // namespace

ThumbnailRenderer::ThumbnailRenderer(const VendorFiles &runtime, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_profile(new QWebEngineProfile(this)) // off the record: no sample's storage outlives it
    , m_interceptor(new VendorInterceptor(VendorUrlMap(runtime), this))
{
    m_profile->setUrlRequestInterceptor(m_interceptor);
}

ThumbnailRenderer::~ThumbnailRenderer()
{
    delete m_view;
    m_runner.reset();
}

QString ThumbnailRenderer::cacheDir()
{
    const QString fromEnv = qEnvironmentVariable("LOOM_THUMBNAIL_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/thumbnails"_s;
}

void ThumbnailRenderer::request(const SampleInfo &sample)
{
    ++m_hashing;
    // Reading the sample's files is disk work: off the UI thread.
    QtConcurrent::run([sample, dir = cacheDir()] {
        const QString png = QDir(dir).filePath(u"%1-%2.png"_s.arg(sample.name, contentKey(sample.dir)));
        return std::pair(png, QFileInfo::exists(png));
    }).then(this, [this, sample](const std::pair<QString, bool> &found) {
        const auto &[png, cached] = found;
        --m_hashing;
        if (cached)
            Q_EMIT thumbnailReady(sample.name, png);
        else
            enqueue(sample, png);
    });
}

void ThumbnailRenderer::enqueue(const SampleInfo &sample, const QString &pngPath)
{
    const bool queued = std::any_of(m_queue.cbegin(), m_queue.cend(),
                                    [&pngPath](const Job &job) { return job.pngPath == pngPath; });
    if (!queued && !(m_current && m_current->pngPath == pngPath))
        m_queue.enqueue({sample, pngPath});
    renderNext();
}

void ThumbnailRenderer::galleryShown()
{
    ++m_galleriesShown;
    renderNext();
}

void ThumbnailRenderer::galleryHidden()
{
    // The render under way finishes; the next waits for a gallery to show again.
    m_galleriesShown = std::max(0, m_galleriesShown - 1);
}

void ThumbnailRenderer::renderNext()
{
    if (m_galleriesShown == 0 || m_current || m_queue.isEmpty())
        return;
    m_current = m_queue.dequeue();
    const SampleInfo &sample = m_current->sample;

    ProjectRun::Options options;
    options.project = sample.dir;
    options.runtime = m_runtime;
    m_run = std::make_unique<ProjectRun>(std::move(options));
    if (auto started = m_run->serve(); !started) {
        qWarning("thumbnail of %s: %s", qPrintable(sample.name), qPrintable(started.error()));
        finishCurrent();
        return;
    }
    m_interceptor->setServer(m_run->baseUrl());
    m_runner = std::make_unique<PageRunner>(m_profile);
    // A worker that fails to start (a sample that needs the network, offline) leaves the scenario
    // waiting for its time-out: the bridge tells, and the picture is taken then, as a headless run
    // ends then.
    m_runner->failWhenAWorkerFails(m_run->restart());
    m_view = new QWebEngineView;
    m_view->setAttribute(Qt::WA_DontShowOnScreen);
    m_view->setPage(m_runner->page());
    m_view->resize(PageSize);
    m_view->show();
    // Passed or not, what the page shows at the end is the sample's picture: an online sample
    // rendered offline shows its own "needs the network" state.
    connect(m_runner.get(), &PageRunner::finished, this, [this, name = sample.name](const RunOutcome &outcome) {
        Q_EMIT pageEnded(name, outcome);
        QTimer::singleShot(SettleMs, this, &ThumbnailRenderer::capture);
    });
    m_runner->start(m_run->pageUrl(), sample.scenario, RenderTimeout);
}

void ThumbnailRenderer::capture()
{
    if (!m_current || !m_view)
        return;
    const QImage image = m_view->grab().toImage().scaledToWidth(ThumbnailWidth, Qt::SmoothTransformation);
    const QString png = m_current->pngPath;
    const QString name = m_current->sample.name;
    QtConcurrent::run([image, png] {
        QDir().mkpath(QFileInfo(png).absolutePath());
        const QString partial = png + u".part"_s;
        return image.save(partial, "PNG") && (QFile::remove(png) || !QFileInfo::exists(png))
               && QFile::rename(partial, png);
    }).then(this, [this, name, png](bool saved) {
        if (saved)
            Q_EMIT thumbnailReady(name, png);
    });
    finishCurrent();
}

void ThumbnailRenderer::finishCurrent()
{
    delete m_view; // before the page it shows
    m_view = nullptr;
    m_runner.reset();
    m_run.reset(); // its server retires on a pool thread
    m_current.reset();
    QTimer::singleShot(0, this, &ThumbnailRenderer::renderNext);
}

} // namespace Loom::Ui
