// The sample gallery as a user meets it: every sample a card with a thumbnail rendered from the
// sample itself, search and tag filters, and "Open a copy" that leaves the installed sample alone
// and whose copy runs with F5 without an error.
#include "runtime/bridge/pagesession.h"
#include "runtime/models/samplelistmodel.h"
#include "runtime/project/samples.h"
#include "runtime/run/webengine.h"
#include "runtime/vendor/vendorfiles.h"
#include "ui/actionregistry.h"
#include "ui/gallery/samplegallery.h"
#include "ui/gallery/thumbnailrenderer.h"
#include "ui/mainwindow.h"
#include "ui/previewpane.h"
#include "ui/settings.h"
#include "ui/startpage.h"

#include "tests/support/files.h"
#include "tests/support/window.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Loom::Runtime;
using namespace Loom::TestSupport;
using namespace Loom::Ui;
using namespace Qt::StringLiterals;

namespace {
const QString Samples = QStringLiteral(LOOM_SOURCE_DIR "/samples");
constexpr int PageTimeoutMs = 120'000;

QStringList names(const QAbstractItemModel &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list.append(model.index(row, 0).data(SampleListModel::NameRole).toString());
    return list;
}

// Colours in an image, up to `enough`: a rendered page has text, edges, anti-aliasing.
int distinctColours(const QImage &image, int enough)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height() && colours.size() < enough; y += 2) {
        for (int x = 0; x < image.width() && colours.size() < enough; x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}
} // namespace

class tst_Gallery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void filters_searchAndTags();
    void gallery_showsEverySampleWithAThumbnailRenderedFromIt();
    void thumbnails_comeFromTheCacheOnceRendered();
    void openACopy_thenF5_runsWithoutError_data();
    void openACopy_thenF5_runsWithoutError();

private:
    QTemporaryDir m_home;
    std::optional<VendorFiles> m_runtime;
};

void tst_Gallery::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Settings, the workspace and the thumbnail cache go to a throw-away home.
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(u"config"_s).toUtf8());
    qputenv("LOOM_THUMBNAIL_DIR", m_home.filePath(u"thumbnails"_s).toUtf8());
    qputenv("LOOM_SAMPLES_DIR", Samples.toUtf8());
    auto runtime = VendorFiles::load(VendorFiles::defaultDir());
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
    m_runtime = *runtime;
}

void tst_Gallery::filters_searchAndTags()
{
    SampleListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSamples(listSamples());
    SampleFilterProxyModel filter;
    QAbstractItemModelTester proxyTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    QCOMPARE(filter.rowCount(), int(listSamples().size()));
    QCOMPARE(names(filter).value(0), u"primes"_s);

    // A word of the title, any case.
    filter.setSearchText(u"DEADLOCK"_s);
    QCOMPARE(names(filter), QStringList{u"deadlock"_s});
    // Every word must be found, in title, description, tags or features.
    filter.setSearchText(u"create_named_worker task"_s);
    QCOMPARE(names(filter), QStringList{u"task-processor"_s});
    filter.setSearchText(u"no sample says this"_s);
    QCOMPARE(filter.rowCount(), 0);

    // Tags: a sample shows when it carries every checked tag.
    filter.setSearchText({});
    filter.setRequiredTags({u"numpy"_s});
    for (const QString &name : names(filter))
        QVERIFY2(model.sample(name)->tags.contains(u"numpy"_s), qPrintable(name));
    QVERIFY(names(filter).contains(u"calculator"_s));
    filter.setRequiredTags({u"numpy"_s, u"micropython"_s});
    for (const QString &name : names(filter)) {
        QVERIFY(model.sample(name)->tags.contains(u"numpy"_s));
        QVERIFY(model.sample(name)->tags.contains(u"micropython"_s));
    }
    filter.setRequiredTags({});
    QCOMPARE(filter.rowCount(), model.rowCount());

    // The tag list holds each tag once, the most used first.
    const QStringList tags = model.allTags();
    QCOMPARE(QSet<QString>(tags.cbegin(), tags.cend()).size(), tags.size());
    QVERIFY(tags.contains(u"workers"_s));
}

void tst_Gallery::gallery_showsEverySampleWithAThumbnailRenderedFromIt()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    SampleGallery *gallery = part<StartPage>(window)->gallery();
    QVERIFY(gallery->isVisible());
    // How each sample's page ended before its picture (no render has ended yet: none runs
    // before the event loop does).
    QMap<QString, RunOutcome> ended;
    connect(part<ThumbnailRenderer>(window), &ThumbnailRenderer::pageEnded, this,
            [&ended](const QString &name, const RunOutcome &outcome) { ended.insert(name, outcome); });
    const QList<SampleInfo> samples = listSamples();
    QTRY_COMPARE(gallery->cards()->model()->rowCount(), int(samples.size()));
    QCOMPARE(names(*gallery->cards()->model()).value(0), u"primes"_s);
    QVERIFY(gallery->tagFilter()->count() > 3);

    // Typing in the search field filters the cards; checking a tag too.
    QTest::keyClicks(gallery->searchField(), u"mandelbrot"_s);
    QCOMPARE(names(*gallery->cards()->model()), QStringList{u"mandelbrot-parallel"_s});
    gallery->searchField()->clear();
    QCOMPARE(gallery->cards()->model()->rowCount(), int(samples.size()));

    // Each sample is served, run through its scenario and photographed, one after the other.
    const QAbstractItemModel *cards = gallery->cards()->model();
    auto rendered = [cards] {
        for (int row = 0; row < cards->rowCount(); ++row) {
            if (cards->index(row, 0).data(SampleListModel::ThumbnailPathRole).toString().isEmpty())
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rendered(), PageTimeoutMs * 5);
    QSet<QByteArray> pictures;
    for (int row = 0; row < cards->rowCount(); ++row) {
        const QString name = cards->index(row, 0).data(SampleListModel::NameRole).toString();
        const QString path = cards->index(row, 0).data(SampleListModel::ThumbnailPathRole).toString();
        QVERIFY2(path.startsWith(m_home.filePath(u"thumbnails/"_s) + name + u'-'), qPrintable(path));
        const QImage image(path);
        QVERIFY2(!image.isNull(), qPrintable(path));
        QCOMPARE(image.width(), 360);
        // A page, not a blank or a flat placeholder.
        QVERIFY2(distinctColours(image, 24) >= 24, qPrintable(name));
        pictures.insert(
            QCryptographicHash::hash(QByteArray(reinterpret_cast<const char *>(image.constBits()), image.sizeInBytes()),
                                     QCryptographicHash::Sha1));
    }
    QCOMPARE(pictures.size(), cards->rowCount()); // each sample its own picture

    // Each picture shows the page at the end of its scenario: passed offline, or, for a sample
    // that needs the network, once its worker failed to start (said by the bridge, not the
    // scenario's time-out).
    QCOMPARE(ended.size(), int(samples.size()));
    for (const SampleInfo &sample : samples) {
        const RunOutcome outcome = ended.value(sample.name);
        if (sample.needsNetwork) {
            QVERIFY2(outcome.status == RunOutcome::Status::PageError && outcome.message.contains(u"failed to start"),
                     qPrintable(sample.name + u": "_s + statusName(outcome.status) + u" "_s + outcome.message));
        } else {
            QVERIFY2(outcome.status == RunOutcome::Status::Passed,
                     qPrintable(sample.name + u": "_s + statusName(outcome.status) + u" "_s + outcome.message));
        }
    }

    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        QTest::qWait(500);
        window.grab().save(QDir(shots).filePath(u"loom-gallery.png"_s));
    }
}

void tst_Gallery::thumbnails_comeFromTheCacheOnceRendered()
{
    const QDir cache(ThumbnailRenderer::cacheDir());
    const QStringList before = cache.entryList(QDir::Files, QDir::Name);
    QVERIFY2(!before.isEmpty(), "the test before renders them");
    QHash<QString, QDateTime> written;
    for (const QString &file : before)
        written.insert(file, QFileInfo(cache.filePath(file)).lastModified());

    ThumbnailRenderer renderer(*m_runtime);
    QSignalSpy ready(&renderer, &ThumbnailRenderer::thumbnailReady);
    renderer.galleryShown();
    const QList<SampleInfo> samples = listSamples();
    for (const SampleInfo &sample : samples)
        renderer.request(sample);
    QTRY_COMPARE(ready.count(), int(samples.size()));
    QVERIFY(renderer.isIdle()); // nothing was queued for rendering
    QCOMPARE(cache.entryList(QDir::Files, QDir::Name), before);
    for (const QString &file : before)
        QCOMPARE(QFileInfo(cache.filePath(file)).lastModified(), written.value(file));
}

void tst_Gallery::openACopy_thenF5_runsWithoutError_data()
{
    QTest::addColumn<QString>("name");
    for (const SampleInfo &sample : listSamples()) {
        if (!sample.needsNetwork)
            QTest::newRow(qPrintable(sample.name)) << sample.name;
    }
}

void tst_Gallery::openACopy_thenF5_runsWithoutError()
{
    QFETCH(QString, name);
    const QString installed = Samples + u'/' + name;
    const auto installedFiles = folderSnapshot(installed);

    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    SampleGallery *gallery = part<StartPage>(window)->gallery();
    QTRY_VERIFY(gallery->cards()->model()->rowCount() > 0);
    QTest::keyClicks(gallery->searchField(), name);
    const QAbstractItemModel *cards = gallery->cards()->model();
    const int row = int(names(*cards).indexOf(name));
    QVERIFY(row >= 0);
    gallery->cards()->setCurrentIndex(cards->index(row, 0));
    QTest::mouseClick(gallery->findChild<QPushButton *>(u"openCopyButton"_s), Qt::LeftButton);

    // The copy is in the workspace, not the installed folder.
    QVERIFY2(window.projectDir().startsWith(settings.workspaceDir()), qPrintable(window.projectDir()));
    QVERIFY(QFileInfo::exists(window.projectDir() + u"/index.html"_s));

    // F5 is a window shortcut: it reaches the window only once the window is the active one (a
    // window shown after another one closed is not active at once on every platform).
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(part<PreviewPane>(window)->session() != nullptr, PageTimeoutMs);
    const PageSession *session = part<PreviewPane>(window)->session();
    // Every worker the page declares gets ready, the main thread reports, and nothing fails.
    QStringList declared;
    for (const PageScript &script : session->pageScripts()) {
        if (script.worker)
            declared.append(script.name);
    }
    auto allReady = [session, &declared] {
        for (const QString &worker : declared) {
            const WorkerInfo *info = session->workers().findByName(worker);
            if (!info || info->state != WorkerState::Ready)
                return false;
        }
        return session->responsiveness().sampleCount() > 4;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allReady(), PageTimeoutMs);
    for (const ConsoleEntry &entry : session->console().entries())
        QVERIFY2(!entry.isError, qPrintable(entry.source + u": "_s + entry.text));
    for (const WorkerInfo &worker : session->workers().workers())
        QVERIFY2(worker.state != WorkerState::Failed, qPrintable(worker.name));

    window.stop();
    QCOMPARE(folderSnapshot(installed), installedFiles);
}

int main(int argc, char *argv[])
{
    prepareWebEngineEnvironment(true);
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_Gallery test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_gallery.moc"
