// The docks fed by a PageSession on their own, without a page: what a user sees in a flood.
#include "runtime/bridge/pagesession.h"
#include "ui/docks/consoledock.h"
#include "ui/docks/workersdock.h"

#include "runtime/packages/packagecache.h"

#include "tests/support/events.h"

#include <QLabel>
#include <QProgressBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace Loom::Runtime;
using namespace Loom::TestSupport;
using namespace Loom::Ui;

namespace {
// One batch of `count` lines from worker 1, "line 0" first, applied at once.
void floodWithLines(PageSession &session, int count)
{
    EventBatch batch;
    for (int i = 0; i < count; ++i)
        batch.events.append(stdoutLine(1, 100 + i, QStringLiteral("line %1").arg(i)));
    session.enqueue(std::move(batch));
    session.drain();
}
} // namespace

class tst_Docks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void console_floodPaintsTheNewestLinesAndSaysHowManyItSkipped();
    void console_threadFilterShowsWhatTheRunKept();
    void workers_packageDownloadsShowWhileTheyRun();

private:
    QTemporaryDir m_project;
};

// One batch of 1,000 lines paints the newest MaxLinesPerPaint and one line that counts the rest.
void tst_Docks::console_floodPaintsTheNewestLinesAndSaysHowManyItSkipped()
{
    PageSession session(m_project.path());
    ConsoleDock dock;
    dock.setSession(&session);
    floodWithLines(session, 1000);

    const QString text = dock.view()->toPlainText();
    const qsizetype skipped = 1000 - ConsoleDock::MaxLinesPerPaint;
    QVERIFY2(text.contains(QStringLiteral("… %1 lines not painted").arg(skipped)), qPrintable(text.left(300)));
    QVERIFY(text.contains(QStringLiteral("line 999")));
    QVERIFY(text.contains(QStringLiteral("line %1\n").arg(skipped)));
    QVERIFY(!text.contains(QStringLiteral("line %1\n").arg(skipped - 1)));
    QCOMPARE(dock.view()->document()->blockCount(), ConsoleDock::MaxLinesPerPaint + 1);

    // A quiet batch afterwards paints every line, with no note.
    EventBatch quiet;
    quiet.events.append(stdoutLine(1, 5000, QStringLiteral("after the flood")));
    session.enqueue(std::move(quiet));
    session.drain();
    QVERIFY(dock.view()->toPlainText().endsWith(QStringLiteral("after the flood")));
    QCOMPARE(dock.view()->toPlainText().count(QStringLiteral("not painted")), 1);
}

// Choosing a thread repaints from what the run kept, so the skipped lines are not lost.
void tst_Docks::console_threadFilterShowsWhatTheRunKept()
{
    PageSession session(m_project.path());
    ConsoleDock dock;
    dock.setSession(&session);
    floodWithLines(session, 1000);

    const QString source = session.console().sources().value(0);
    QVERIFY(!source.isEmpty());
    dock.setSourceFilter(source);
    const QString text = dock.view()->toPlainText();
    QVERIFY(text.contains(QStringLiteral("line 0\n")));
    QVERIFY(text.contains(QStringLiteral("line 999")));
    QVERIFY(!text.contains(QStringLiteral("not painted")));
}

// Workers wait while Pyodide packages download into Loom's cache: the dock says which and how far.
void tst_Docks::workers_packageDownloadsShowWhileTheyRun()
{
    WorkersDock dock;
    dock.show();
    auto *label = dock.findChild<QLabel *>(QStringLiteral("packageProgressLabel"));
    QVERIFY(label);
    QVERIFY(!label->isVisible());
    dock.showPackageProgress({QStringLiteral("numpy-2.4.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl"),
                              QStringLiteral("numpy"),
                              3'200'000,
                              8'100'000,
                              false,
                              {}});
    dock.showPackageProgress(
        {QStringLiteral("micropip-0.11.1-py3-none-any.whl"), QStringLiteral("micropip"), 0, -1, false, {}});
    QVERIFY(label->isVisible());
    QVERIFY2(label->text().contains(QStringLiteral("micropip")) && label->text().contains(QStringLiteral("1 more")),
             qPrintable(label->text()));
    dock.showPackageProgress(
        {QStringLiteral("micropip-0.11.1-py3-none-any.whl"), QStringLiteral("micropip"), 900, 900, true, {}});
    dock.showPackageProgress({QStringLiteral("numpy-2.4.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl"),
                              QStringLiteral("numpy"),
                              5'000'000,
                              8'100'000,
                              false,
                              {}});
    QVERIFY2(label->text().contains(
                 QStringLiteral("numpy (numpy-2.4.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl): 5.0 of 8.1 MB")),
             qPrintable(label->text()));
    QCOMPARE(dock.findChild<QProgressBar *>()->value(), 617);
    dock.showPackageProgress({QStringLiteral("numpy-2.4.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl"),
                              QStringLiteral("numpy"),
                              8'100'000,
                              8'100'000,
                              true,
                              {}});
    QVERIFY(!label->isVisible()); // the last one ended
}

QTEST_MAIN(tst_Docks)
#include "tst_docks.moc"
