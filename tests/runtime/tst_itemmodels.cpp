// The item models the IDE's docks show, fed the way a run feeds them: the page's JSON through the
// real parser into a PageSession, one batchApplied per drain. Every model runs under
// QAbstractItemModelTester; updates during a run must be inserts, removals and dataChanged, never
// resets, so a view keeps its selection.
#include "runtime/bridge/pageevent.h"
#include "runtime/bridge/pagesession.h"
#include "runtime/models/callfilterproxymodel.h"
#include "runtime/models/calltablemodel.h"
#include "runtime/models/workertablemodel.h"

#include "tests/support/events.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Loom::Runtime;
using namespace Loom::TestSupport;

namespace {

using Tester = QAbstractItemModelTester;

constexpr int CallLogCapacity = 10000; // CallLog's default, which PageSession uses

QByteArray created(double t, int worker, const QByteArray &name)
{
    return workerCreatedJson(t, worker, name, "./primes.py");
}

QByteArray ready(double t, int worker)
{
    return eventJson("worker-ready", t, worker);
}

QByteArray callStart(double t, int worker, int id, const QByteArray &function = "find_primes")
{
    return eventJson("call-start", t, worker,
                     "\"id\":" + QByteArray::number(id) + ",\"fn\":\"" + function + "\",\"args\":[\"1000000\"]");
}

QByteArray callEnd(double t, int worker, int id, const QByteArray &function = "find_primes")
{
    return eventJson("call-end", t, worker,
                     "\"id\":" + QByteArray::number(id) + ",\"fn\":\"" + function
                         + R"(","ok":true,"result":"78498","ms":75.1,"mainMs":76.8)");
}

// `error` is JSON string content (escaped).
QByteArray callFailed(double t, int worker, int id, const QByteArray &error, const QByteArray &function = "find_primes")
{
    return eventJson("call-end", t, worker,
                     "\"id\":" + QByteArray::number(id) + ",\"fn\":\"" + function + R"(","ok":false,"error":")" + error
                         + R"(","ms":3,"mainMs":4.5)");
}

const QByteArray Traceback =
    R"(Traceback (most recent call last):\n  File \"<exec>\", line 5, in find_primes\nValueError: boom)";

// Parses the events with the page bridge's parser (at most one POST's worth per batch), hands
// them to the session and applies them: one batchApplied.
bool feed(PageSession &session, const QList<QByteArray> &events)
{
    for (qsizetype from = 0; from < events.size(); from += EventLimits::MaxEventsPerBatch) {
        const QByteArray body = batchJson(events.mid(from, EventLimits::MaxEventsPerBatch));
        if (const auto delivered = deliver(session, body); !delivered) {
            qWarning() << "the page's events were refused:" << delivered.error() << body.left(300);
            return false;
        }
    }
    session.drain();
    return true;
}

QList<QByteArray> callStarts(int firstId, int count)
{
    QList<QByteArray> events;
    events.reserve(count);
    for (int id = firstId; id < firstId + count; ++id)
        events.append(callStart(10000 + id, 1, id));
    return events;
}

QString text(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role).toString();
}

QStringList headers(const QAbstractItemModel &model)
{
    QStringList titles;
    for (int column = 0; column < model.columnCount(); ++column)
        titles.append(model.headerData(column, Qt::Horizontal).toString());
    return titles;
}

// "worker#id" of each row of a call model or proxy, in order.
QStringList callKeys(const QAbstractItemModel &model)
{
    QStringList keys;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        keys.append(index.data(CallTableModel::WorkerNameRole).toString() + u'#'
                    + index.data(CallTableModel::CallIdRole).toString());
    }
    return keys;
}

} // namespace

class tst_ItemModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void formatDuration_isForPeople_data();
    void formatDuration_isForPeople();
    void headers_areTitled();

    void workerLife_showsEachStage_data();
    void workerLife_showsEachStage();
    void newWorker_isInsertedNotReset();
    void changedWorker_signalsItsRowOnly();
    void selection_survivesARun();
    void failedCall_showsTheErrorSummary_data();
    void failedCall_showsTheErrorSummary();

    void newCalls_areInsertedAtTheEnd();
    void finishedCall_signalsDataChangedOnItsRow();
    void ringOverflow_removesFrontRows_data();
    void ringOverflow_removesFrontRows();
    void clear_hidesCallsUntilNewOnes();
    void timedDrain_appliesABacklogInSlices();
    void lateFailure_countsTheCallOnce();

    void proxy_filtersAsTheExport_data();
    void proxy_filtersAsTheExport();
    void proxy_showsACallOnceItFails();
    void export_isTheCallLogsWhenNothingIsCleared();

    void session_nullOrDestroyed_leavesNoRows();

private:
    std::unique_ptr<PageSession> newSession() { return std::make_unique<PageSession>(m_project.path()); }

    QTemporaryDir m_project;
};

void tst_ItemModels::initTestCase()
{
    QVERIFY(m_project.isValid());
    QFile html(m_project.filePath(QStringLiteral("index.html")));
    QVERIFY(html.open(QIODevice::WriteOnly));
    html.write("<!doctype html>\n<html>\n<head>\n"
               "<script type=\"module\" src=\"https://pyscript.net/releases/2025.8.1/core.js\"></script>\n"
               "</head>\n<body>\n"
               "<script type=\"py\" worker name=\"primes\" src=\"./primes.py\"></script>\n"
               "<script type=\"mpy\" src=\"./main.py\"></script>\n"
               "</body>\n</html>\n");
}

void tst_ItemModels::formatDuration_isForPeople_data()
{
    QTest::addColumn<double>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << -1.0 << QString();
    QTest::newRow("zero") << 0.0 << QStringLiteral("0.00 ms");
    QTest::newRow("sub-millisecond") << 0.42 << QStringLiteral("0.42 ms");
    QTest::newRow("few ms") << 5.2 << QStringLiteral("5.20 ms");
    QTest::newRow("rounds up to 10") << 9.996 << QStringLiteral("10.0 ms");
    QTest::newRow("tens of ms") << 76.8 << QStringLiteral("76.8 ms");
    QTest::newRow("rounds up to 100") << 99.96 << QStringLiteral("100 ms");
    QTest::newRow("hundreds of ms") << 999.4 << QStringLiteral("999 ms");
    QTest::newRow("rounds up to a second") << 999.6 << QStringLiteral("1.00 s");
    QTest::newRow("seconds") << 2970.0 << QStringLiteral("2.97 s");
    QTest::newRow("tens of seconds") << 12345.0 << QStringLiteral("12.3 s");
    QTest::newRow("minutes") << 123456.0 << QStringLiteral("123 s");
}

void tst_ItemModels::formatDuration_isForPeople()
{
    QFETCH(double, ms);
    QFETCH(QString, text);
    QCOMPARE(formatDuration(ms), text);
}

void tst_ItemModels::headers_areTitled()
{
    WorkerTableModel workers;
    CallTableModel calls;
    QCOMPARE(headers(workers),
             (QStringList{QStringLiteral("Worker"), QStringLiteral("Type"), QStringLiteral("State"),
                          QStringLiteral("Ready in"), QStringLiteral("Calls"), QStringLiteral("In flight"),
                          QStringLiteral("Mean"), QStringLiteral("Max"), QStringLiteral("Last error")}));
    QCOMPARE(headers(calls),
             (QStringList{QStringLiteral("Worker"), QStringLiteral("Function"), QStringLiteral("Arguments"),
                          QStringLiteral("Result / error"), QStringLiteral("Main"), QStringLiteral("Worker")}));
}

void tst_ItemModels::workerLife_showsEachStage_data()
{
    QTest::addColumn<int>("stages"); // how many events of the life below happened
    QTest::addColumn<int>("state");
    QTest::addColumn<QStringList>("row"); // State, Ready in, Calls, In flight, Mean, Max
    auto row = [](const char *state, const char *readyIn, const char *calls, const char *inFlight, const char *mean,
                  const char *max) {
        return QStringList{QLatin1StringView(state),    QString::fromUtf8(readyIn), QLatin1StringView(calls),
                           QLatin1StringView(inFlight), QLatin1StringView(mean),    QLatin1StringView(max)};
    };
    QTest::newRow("created") << 1 << int(WorkerState::Starting) << row("starting", "…", "0", "0", "", "");
    QTest::newRow("interpreter up") << 2 << int(WorkerState::Loading) << row("loading", "…", "0", "0", "", "");
    QTest::newRow("exported") << 3 << int(WorkerState::Loading) << row("loading", "…", "0", "0", "", "");
    QTest::newRow("ready") << 4 << int(WorkerState::Ready) << row("ready", "2.97 s", "0", "0", "", "");
    QTest::newRow("called: busy") << 5 << int(WorkerState::Busy) << row("busy", "2.97 s", "1", "1", "", "");
    QTest::newRow("replied: ready") << 6 << int(WorkerState::Ready)
                                    << row("ready", "2.97 s", "1", "0", "76.8 ms", "76.8 ms");
}

void tst_ItemModels::workerLife_showsEachStage()
{
    QFETCH(int, stages);
    QFETCH(int, state);
    QFETCH(QStringList, row);
    const QList<QByteArray> life{created(1000, 1, "primes"),
                                 eventJson("worker-interpreter", 2500, 1, R"("type":"py")"),
                                 eventJson("export", 3900, 1, R"("fn":"find_primes")"),
                                 ready(3970, 1),
                                 callStart(4000, 1, 1),
                                 callEnd(4077, 1, 1)};
    const auto session = newSession();
    WorkerTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    for (int stage = 0; stage < stages; ++stage)
        QVERIFY(feed(*session, {life.at(stage)})); // one batch each, as they would arrive

    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(WorkerTableModel::ColumnCount));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(text(model, 0, WorkerTableModel::Name), QStringLiteral("primes"));
    QCOMPARE(text(model, 0, WorkerTableModel::Name, Qt::ToolTipRole),
             QStringLiteral("./primes.py (<script> on line 7)"));
    QCOMPARE(text(model, 0, WorkerTableModel::Type), QStringLiteral("py"));
    QCOMPARE(text(model, 0, WorkerTableModel::LastError), QString());
    const QStringList shown{text(model, 0, WorkerTableModel::State),  text(model, 0, WorkerTableModel::ReadyIn),
                            text(model, 0, WorkerTableModel::Calls),  text(model, 0, WorkerTableModel::InFlight),
                            text(model, 0, WorkerTableModel::MeanMs), text(model, 0, WorkerTableModel::MaxMs)};
    QCOMPARE(shown, row);
    for (int column = 0; column < WorkerTableModel::ColumnCount; ++column) {
        const QModelIndex index = model.index(0, column);
        QCOMPARE(index.data(WorkerTableModel::StateRole).toInt(), state);
        QCOMPARE(index.data(WorkerTableModel::WorkerIdRole).toInt(), 1);
        QCOMPARE(index.data(WorkerTableModel::WorkerNameRole).toString(), QStringLiteral("primes"));
    }
    QCOMPARE(model.workerAt(0)->id, 1);
    QVERIFY(!model.workerAt(1));
}

void tst_ItemModels::newWorker_isInsertedNotReset()
{
    const auto session = newSession();
    WorkerTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);

    QVERIFY(feed(*session, {created(1, 1, "primes")}));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 0);

    // Two workers in one batch: one insertion of both, after the first.
    QVERIFY(feed(*session, {created(2, 2, "calc"), created(3, 3, "other"), ready(4, 1)}));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 1);
    QCOMPARE(inserted.at(1).at(2).toInt(), 2);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(text(model, 1, WorkerTableModel::Name), QStringLiteral("calc"));
    QCOMPARE(text(model, 2, WorkerTableModel::Name), QStringLiteral("other"));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(layouts.count(), 0);
}

void tst_ItemModels::changedWorker_signalsItsRowOnly()
{
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), created(2, 2, "calc"), ready(3, 1), ready(4, 2)}));
    WorkerTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QVERIFY(feed(*session, {callStart(10, 2, 1)}));
    QCOMPARE(changed.count(), 1);
    const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 1);
    QCOMPARE(bottomRight.row(), 1);
    QCOMPARE(text(model, 1, WorkerTableModel::State), QStringLiteral("busy"));
    QCOMPARE(text(model, 0, WorkerTableModel::State), QStringLiteral("ready"));

    // A batch that touches no worker (the main thread prints) changes no row.
    changed.clear();
    QVERIFY(feed(*session, {R"({"k":"stdout","t":11,"thread":"main:mpy","text":"hello"})"}));
    QCOMPARE(changed.count(), 0);
}

void tst_ItemModels::selection_survivesARun()
{
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes")}));
    WorkerTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QItemSelectionModel selection(&model);
    selection.setCurrentIndex(model.index(0, WorkerTableModel::State),
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    QVERIFY(feed(*session, {ready(2, 1), created(3, 2, "calc"), callStart(4, 1, 1)}));
    QVERIFY(feed(*session, {callEnd(5, 1, 1), ready(6, 2)}));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(selection.isRowSelected(0));
    QVERIFY(!selection.isRowSelected(1));
    QCOMPARE(selection.currentIndex(), model.index(0, WorkerTableModel::State));
}

void tst_ItemModels::failedCall_showsTheErrorSummary_data()
{
    QTest::addColumn<QByteArray>("error"); // as the page sends it (JSON string content)
    QTest::addColumn<QString>("traceback");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("explanation"); // a fragment, or empty for none
    QTest::newRow("python traceback")
        << Traceback
        << QStringLiteral(
               "Traceback (most recent call last):\n  File \"<exec>\", line 5, in find_primes\nValueError: boom")
        << QStringLiteral("ValueError: boom") << QString();
    QTest::newRow("name not exported") << QByteArray("TypeError: missing is not a function")
                                       << QStringLiteral("TypeError: missing is not a function")
                                       << QStringLiteral("TypeError: missing is not a function")
                                       << QStringLiteral("does not export \"missing\"");
}

void tst_ItemModels::failedCall_showsTheErrorSummary()
{
    QFETCH(QByteArray, error);
    QFETCH(QString, traceback);
    QFETCH(QString, summary);
    QFETCH(QString, explanation);
    const auto session = newSession();
    WorkerTableModel workers;
    CallTableModel calls;
    Tester workersTester(&workers, Tester::FailureReportingMode::QtTest);
    Tester callsTester(&calls, Tester::FailureReportingMode::QtTest);
    workers.setSession(session.get());
    calls.setSession(session.get());
    QVERIFY(feed(*session, {created(1, 1, "primes"), eventJson("export", 2, 1, R"("fn":"find_primes")"), ready(3, 1),
                            callStart(4, 1, 1, "missing")}));
    QVERIFY(feed(*session, {callFailed(9, 1, 1, error, "missing")}));

    QCOMPARE(text(workers, 0, WorkerTableModel::LastError), summary);
    QCOMPARE(text(workers, 0, WorkerTableModel::LastError, Qt::ToolTipRole), traceback);

    QCOMPARE(calls.rowCount(), 1);
    QCOMPARE(text(calls, 0, CallTableModel::Outcome), QStringLiteral("error: ") + summary);
    QCOMPARE(text(calls, 0, CallTableModel::Function), QStringLiteral("missing"));
    const QModelIndex outcome = calls.index(0, CallTableModel::Outcome);
    QCOMPARE(outcome.data(CallTableModel::OkRole).toBool(), false);
    QCOMPARE(outcome.data(CallTableModel::FinishedRole).toBool(), true);
    QCOMPARE(outcome.data(CallTableModel::ErrorRole).toString(), traceback);
    QVERIFY(outcome.data(Qt::ToolTipRole).toString().startsWith(traceback));
    const QString explained = outcome.data(CallTableModel::ExplanationRole).toString();
    if (explanation.isEmpty())
        QVERIFY2(explained.isEmpty(), qPrintable(explained));
    else
        QVERIFY2(explained.contains(explanation), qPrintable(explained));
}

// A backlog is applied a slice at a time, each slice its own batch, so the owning thread gets
// the event loop back between slices; the model ends the same as after one full drain.
void tst_ItemModels::timedDrain_appliesABacklogInSlices()
{
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1)}));
    CallTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QSignalSpy batches(session.get(), &PageSession::batchApplied);

    // A budget of 0 ms makes each timed drain apply its minimum of 64 events: 1000 starts and
    // 1000 ends are 32 slices. The events are handed in newest first, as racing POSTs may be.
    QList<QByteArray> events;
    for (int id = 1000; id >= 1; --id)
        events.append({callEnd(20000 + id, 1, id), callStart(10000 + id, 1, id)});
    for (qsizetype from = 0; from < events.size(); from += EventLimits::MaxEventsPerBatch) {
        const QByteArray body = "{\"events\":[" + events.mid(from, EventLimits::MaxEventsPerBatch).join(',') + "]}";
        auto batch = parseEventBatch(std::string_view(body.constData(), size_t(body.size())));
        QVERIFY(batch);
        session->enqueue(std::move(*batch));
    }
    session->setDrainBudget(0);
    QTRY_COMPARE(model.rowCount(), 1000);
    QTRY_VERIFY(session->calls().at(999).finished);
    QCOMPARE(batches.count(), 2000 / 64 + 1);
    // Applied in page time: every start came before every end, so the calls are in id order.
    for (int row = 0; row < 1000; ++row) {
        QCOMPARE(model.index(row, 0).data(CallTableModel::CallIdRole).toInt(), row + 1);
        QCOMPARE(text(model, row, CallTableModel::Outcome), QStringLiteral("78498"));
    }
    QCOMPARE(session->workers().find(1)->calls, 1000);
}

// A result that cannot be sent back: the worker's function returned (call-end ok), then the
// reply failed (a second call-end, failed). One call, timed once, shown as failed.
void tst_ItemModels::lateFailure_countsTheCallOnce()
{
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1), callStart(10, 1, 1), callEnd(20, 1, 1)}));
    QVERIFY(feed(*session, {callFailed(21, 1, 1, "DataCloneError: #<PyProxy> could not be cloned.")}));
    const WorkerInfo *worker = session->workers().find(1);
    QCOMPARE(worker->calls, 1);
    QCOMPARE(worker->inFlight, 0);
    QCOMPARE(worker->maxMs, 76.8);
    QCOMPARE(worker->meanMs(), 76.8);
    QVERIFY(worker->lastError.contains(u"DataCloneError"));
    QCOMPARE(session->calls().size(), 1);
    QVERIFY(!session->calls().at(0).ok);
    QVERIFY(session->calls().at(0).error.contains(u"could not be cloned"));
}

void tst_ItemModels::newCalls_areInsertedAtTheEnd()
{
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1)}));
    CallTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    QVERIFY(feed(*session, {callStart(10, 1, 1)}));
    QVERIFY(feed(*session, {callStart(11, 1, 2), callStart(12, 1, 3, "count")}));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 0);
    QCOMPARE(inserted.at(1).at(1).toInt(), 1);
    QCOMPARE(inserted.at(1).at(2).toInt(), 2);
    QCOMPARE(resets.count(), 0);

    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(CallTableModel::ColumnCount));
    QCOMPARE(text(model, 2, CallTableModel::Worker), QStringLiteral("primes"));
    QCOMPARE(text(model, 2, CallTableModel::Function), QStringLiteral("count"));
    QCOMPARE(text(model, 2, CallTableModel::Arguments), QStringLiteral("1000000"));
    QCOMPARE(text(model, 2, CallTableModel::Outcome), QStringLiteral("…"));
    QCOMPARE(text(model, 2, CallTableModel::MainMs), QString());
    QCOMPARE(model.index(2, 0).data(CallTableModel::CallIdRole).toInt(), 3);
    QCOMPARE(model.index(2, 0).data(CallTableModel::FunctionRole).toString(), QStringLiteral("count"));
    QCOMPARE(model.callAt(2)->callId, 3);
    QVERIFY(!model.callAt(3));
}

void tst_ItemModels::finishedCall_signalsDataChangedOnItsRow()
{
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1), callStart(10, 1, 1), callStart(11, 1, 2),
                            callStart(12, 1, 3)}));
    CallTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.index(1, 0).data(CallTableModel::FinishedRole).toBool(), false);

    QVERIFY(feed(*session, {callEnd(90, 1, 2)}));
    QCOMPARE(changed.count(), 1);
    const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft, model.index(1, 0));
    QCOMPARE(bottomRight, model.index(1, CallTableModel::ColumnCount - 1));
    QCOMPARE(text(model, 1, CallTableModel::Outcome), QStringLiteral("78498"));
    QCOMPARE(text(model, 1, CallTableModel::MainMs), QStringLiteral("76.8 ms"));
    QCOMPARE(text(model, 1, CallTableModel::WorkerMs), QStringLiteral("75.1 ms"));
    QCOMPARE(model.index(1, 0).data(CallTableModel::OkRole).toBool(), true);
    QCOMPARE(model.index(1, 0).data(CallTableModel::FinishedRole).toBool(), true);
    QCOMPARE(model.index(1, CallTableModel::MainMs).data(CallTableModel::SortRole).toDouble(), 76.8);
    QCOMPARE(text(model, 0, CallTableModel::Outcome), QStringLiteral("…"));
    QCOMPARE(text(model, 2, CallTableModel::Outcome), QStringLiteral("…"));

    // A later batch without news about these calls says nothing about them.
    changed.clear();
    QVERIFY(feed(*session, {callStart(91, 1, 4)}));
    QCOMPARE(changed.count(), 0);
}

void tst_ItemModels::ringOverflow_removesFrontRows_data()
{
    // Each row costs one ring's worth of calls: CallLog::apply looks for the call's start among
    // every record (seconds in a Debug build).
    QTest::addColumn<int>("before"); // calls shown when the batch arrives
    QTest::addColumn<int>("more");   // calls in that batch
    QTest::newRow("a few past a full ring") << CallLogCapacity << 5;
    QTest::newRow("a flood replaces every row") << 3 << CallLogCapacity + 2;
}

void tst_ItemModels::ringOverflow_removesFrontRows()
{
    QFETCH(int, before);
    QFETCH(int, more);
    const int dropped = std::max(0, before + more - CallLogCapacity);
    const int removedRows = std::min(dropped, before);
    const int rows = std::min(before + more, CallLogCapacity);
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1)}));
    CallTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QVERIFY(feed(*session, callStarts(1, before)));
    QCOMPARE(model.rowCount(), before);
    QCOMPARE(session->calls().dropped(), 0);

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QVERIFY(feed(*session, callStarts(before + 1, more)));

    QCOMPARE(session->calls().dropped(), dropped);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), removedRows - 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), before - removedRows);
    QCOMPARE(inserted.at(0).at(2).toInt(), rows - 1);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.index(0, 0).data(CallTableModel::CallIdRole).toInt(), dropped + 1);
    QCOMPARE(model.index(rows - 1, 0).data(CallTableModel::CallIdRole).toInt(), before + more);

    // The oldest call left finishes: the top row changes.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(feed(*session, {callEnd(90000, 1, dropped + 1)}));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 0);
    QCOMPARE(text(model, 0, CallTableModel::Outcome), QStringLiteral("78498"));
}

void tst_ItemModels::clear_hidesCallsUntilNewOnes()
{
    const auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1), callStart(3, 1, 1), callStart(4, 1, 2)}));
    CallTableModel model;
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    QCOMPARE(model.rowCount(), 2);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(session->calls().size(), 2); // the session keeps its log
    QCOMPARE(QJsonDocument::fromJson(model.exportJson()).array().size(), 0);

    // A hidden call that finishes stays hidden.
    QVERIFY(feed(*session, {callEnd(5, 1, 1), callStart(6, 1, 3)}));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(CallTableModel::CallIdRole).toInt(), 3);

    // A hidden call falling off the ring removes no row (the log holds calls 2 to 10,001).
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(feed(*session, callStarts(4, CallLogCapacity - 2)));
    QCOMPARE(session->calls().dropped(), 1);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(model.rowCount(), CallLogCapacity - 1);
    QCOMPARE(model.index(0, 0).data(CallTableModel::CallIdRole).toInt(), 3);
    QCOMPARE(QJsonDocument::fromJson(model.exportJson()).array().size(), CallLogCapacity - 1);

    // A new session shows its whole log again.
    model.setSession(session.get()); // the same: nothing happens
    QCOMPARE(model.rowCount(), CallLogCapacity - 1);
    model.setSession(nullptr);
    model.setSession(session.get());
    QCOMPARE(model.rowCount(), CallLogCapacity);
}

void tst_ItemModels::proxy_filtersAsTheExport_data()
{
    QTest::addColumn<QString>("worker");
    QTest::addColumn<QString>("function");
    QTest::addColumn<bool>("errorsOnly");
    QTest::addColumn<QStringList>("calls");
    QTest::newRow("everything") << QString() << QString() << false
                                << QStringList{QStringLiteral("primes#1"), QStringLiteral("primes#2"),
                                               QStringLiteral("calc#1"), QStringLiteral("primes#3"),
                                               QStringLiteral("calc#2")};
    QTest::newRow("one worker") << QStringLiteral("calc") << QString() << false
                                << QStringList{QStringLiteral("calc#1"), QStringLiteral("calc#2")};
    QTest::newRow("one function") << QString() << QStringLiteral("find_primes") << false
                                  << QStringList{QStringLiteral("primes#1"), QStringLiteral("primes#2")};
    QTest::newRow("function names are exact") << QString() << QStringLiteral("find") << false << QStringList();
    QTest::newRow("errors only") << QString() << QString() << true << QStringList{QStringLiteral("primes#2")};
    QTest::newRow("errors of another worker") << QStringLiteral("calc") << QString() << true << QStringList();
    QTest::newRow("worker and function") << QStringLiteral("calc") << QStringLiteral("add") << false
                                         << QStringList{QStringLiteral("calc#1"), QStringLiteral("calc#2")};
}

void tst_ItemModels::proxy_filtersAsTheExport()
{
    QFETCH(QString, worker);
    QFETCH(QString, function);
    QFETCH(bool, errorsOnly);
    QFETCH(QStringList, calls);
    const auto session = newSession();
    CallTableModel model;
    CallFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    Tester modelTester(&model, Tester::FailureReportingMode::QtTest);
    Tester proxyTester(&proxy, Tester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    const CallFilter filter{worker, function, errorsOnly};
    proxy.setFilter(filter);
    QVERIFY(feed(*session, {created(1, 1, "primes"), created(2, 2, "calc"), ready(3, 1), ready(4, 2),
                            callStart(10, 1, 1), callStart(11, 1, 2), callStart(12, 2, 1, "add")}));
    // Rows arrive and finish while the filter is on: the proxy follows.
    QVERIFY(feed(*session, {callEnd(20, 1, 1), callFailed(21, 1, 2, Traceback), callEnd(22, 2, 1, "add"),
                            callStart(23, 1, 3, "count"), callStart(24, 2, 2, "add")}));
    QVERIFY(feed(*session, {callEnd(30, 1, 3, "count")}));

    QCOMPARE(callKeys(proxy), calls);
    QCOMPARE(proxy.filter().worker, worker);

    QJsonParseError error;
    const QJsonDocument exported = QJsonDocument::fromJson(model.exportJson(filter), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(exported.isArray());
    QStringList keys;
    for (const QJsonValue &call : exported.array())
        keys.append(call[u"worker"].toString() + u'#' + QString::number(call[u"id"].toInt()));
    QCOMPARE(keys, calls);
    if (errorsOnly && !calls.isEmpty()) {
        const QJsonObject failed = exported.array().first().toObject();
        QCOMPARE(failed[u"ok"].toBool(), false);
        QVERIFY(failed[u"error"].toString().endsWith(u"ValueError: boom"));
        QCOMPARE(failed[u"function"].toString(), QStringLiteral("find_primes"));
    }

    // Off again: everything.
    proxy.setFilter({});
    QCOMPARE(proxy.rowCount(), 5);
}

void tst_ItemModels::proxy_showsACallOnceItFails()
{
    const auto session = newSession();
    CallTableModel model;
    CallFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    Tester proxyTester(&proxy, Tester::FailureReportingMode::QtTest);
    proxy.setFilter({{}, {}, true});
    model.setSession(session.get());
    QSignalSpy inserted(&proxy, &QAbstractItemModel::rowsInserted);

    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1), callStart(10, 1, 1), callStart(11, 1, 2)}));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(proxy.rowCount(), 0);
    QVERIFY(feed(*session, {callEnd(20, 1, 1), callFailed(21, 1, 2, Traceback)}));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(proxy.index(0, 0).data(CallTableModel::CallIdRole).toInt(), 2);
    QCOMPARE(text(proxy, 0, CallTableModel::Outcome), QStringLiteral("error: ValueError: boom"));
}

void tst_ItemModels::export_isTheCallLogsWhenNothingIsCleared()
{
    const auto session = newSession();
    CallTableModel model;
    model.setSession(session.get());
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1), callStart(10, 1, 1), callStart(11, 1, 2),
                            callStart(12, 1, 3)}));
    QVERIFY(feed(*session, {callEnd(20, 1, 1), callFailed(21, 1, 2, Traceback)}));
    for (const CallFilter &filter :
         {CallFilter{}, CallFilter{{}, {}, true}, CallFilter{QStringLiteral("primes"), {}, false}})
        QCOMPARE(model.exportJson(filter), session->calls().toJson(filter));
    const QJsonArray all = QJsonDocument::fromJson(model.exportJson()).array();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(0)[u"result"].toString(), QStringLiteral("78498"));
    QCOMPARE(all.at(2)[u"finished"].toBool(), false);
}

void tst_ItemModels::session_nullOrDestroyed_leavesNoRows()
{
    WorkerTableModel workers;
    CallTableModel calls;
    Tester workersTester(&workers, Tester::FailureReportingMode::QtTest);
    Tester callsTester(&calls, Tester::FailureReportingMode::QtTest);
    QCOMPARE(workers.rowCount(), 0);
    QCOMPARE(calls.rowCount(), 0);
    QCOMPARE(calls.exportJson(), QByteArray("[]"));

    auto session = newSession();
    QVERIFY(feed(*session, {created(1, 1, "primes"), ready(2, 1), callStart(10, 1, 1)}));
    workers.setSession(session.get());
    calls.setSession(session.get());
    QCOMPARE(workers.rowCount(), 1);
    QCOMPARE(calls.rowCount(), 1);

    workers.setSession(nullptr);
    QCOMPARE(workers.rowCount(), 0);
    workers.setSession(session.get());
    QSignalSpy workerResets(&workers, &QAbstractItemModel::modelReset);
    QSignalSpy callResets(&calls, &QAbstractItemModel::modelReset);
    session.reset();
    QCOMPARE(workerResets.count(), 1);
    QCOMPARE(callResets.count(), 1);
    QCOMPARE(workers.rowCount(), 0);
    QCOMPARE(calls.rowCount(), 0);
    QVERIFY(!workers.session());
    QVERIFY(!calls.callAt(0));
}

QTEST_GUILESS_MAIN(tst_ItemModels)
#include "tst_itemmodels.moc"
