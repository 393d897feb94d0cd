// `loom check DIR`: no false errors on any sample, and each problem of a deliberately broken copy
// of the primes sample named with its file and line.
#include "tests/support/files.h"
#include "tests/support/loomprocess.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Loom::TestSupport;

namespace {
const QString Samples = QStringLiteral(LOOM_SOURCE_DIR "/samples");

QStringList problemLines(const QString &output)
{
    QStringList lines;
    static const QRegularExpression problem(u"^\\S+:\\d+:\\d+: (error|warning): "_s);
    for (const QString &line : output.split(u'\n')) {
        if (problem.match(line).hasMatch())
            lines.append(line);
    }
    return lines;
}

bool edit(const QString &path, const QString &from, const QString &to)
{
    QString text = QString::fromUtf8(readFile(path));
    if (!text.contains(from))
        return false;
    text.replace(from, to);
    return writeFile(path, text.toUtf8());
}
} // namespace

class tst_Check : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sample_hasNoFalseProblems_data();
    void sample_hasNoFalseProblems();
    void brokenPrimes_namesEachProblemWithItsLine();
    void notAFolder_isAUsageError();
};

void tst_Check::sample_hasNoFalseProblems_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("expected");
    for (const QString &name : QDir(Samples).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        QStringList expected;
        // The error-handling sample calls a name its worker does not export, on purpose.
        if (name == u"error-handling")
            expected.append(u"main.py:114:57: error: "_s);
        QTest::newRow(qPrintable(name)) << name << expected;
    }
}

void tst_Check::sample_hasNoFalseProblems()
{
    QFETCH(QString, name);
    QFETCH(QStringList, expected);
    const Run run = runLoom({u"check"_s, Samples + u'/' + name});
    const QStringList problems = problemLines(run.output);
    QCOMPARE(problems.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(problems.at(i).startsWith(expected.at(i)), qPrintable(problems.at(i)));
    QCOMPARE(run.exitCode, expected.isEmpty() ? 0 : 1);
    QVERIFY2(run.output.contains(u"%1 error(s), 0 warning(s)"_s.arg(expected.size())), qPrintable(run.output));
}

void tst_Check::brokenPrimes_namesEachProblemWithItsLine()
{
    QTemporaryDir dir;
    const QString copy = copyOfSample(u"primes"_s, dir);
    QVERIFY(!copy.isEmpty());
    QVERIFY(QFile::remove(copy + u"/sample.json"_s)); // a project of one's own, not a sample
    // 1. an export the worker does not define; 2. a worker name the page does not declare;
    // 3. numpy for the Pyodide worker, offline; 4. a syntax error in a main script's line.
    QVERIFY(edit(copy + u"/worker.py"_s, u"__export__ = [\"find_primes\"]"_s,
                 u"__export__ = [\"find_primes\", \"count_primes\"]"_s));
    QVERIFY(edit(copy + u"/main.py"_s, u"return await workers[worker_name]"_s, u"return await workers[\"prime\"]"_s));
    QVERIFY(edit(copy + u"/index.html"_s, u"name=\"primes\" src=\"./worker.py\""_s,
                 u"name=\"primes\" src=\"./worker.py\" config='{\"packages\": [\"numpy\"]}'"_s));
    QVERIFY(edit(copy + u"/style.css"_s, u"body"_s, u"body"_s)); // untouched files stay quiet

    const Run run = runLoom({u"check"_s, copy});
    QCOMPARE(run.exitCode, 1);
    const QStringList problems = problemLines(run.output);
    const QString all = problems.join(u'\n');
    QVERIFY2(problems.size() == 3, qPrintable(run.output));
    QVERIFY2(all.contains(QRegularExpression(u"^index\\.html:26:\\d+: error: .*numpy.*\\[offline-packages\\]$"_s,
                                             QRegularExpression::MultilineOption)),
             qPrintable(all));
    QVERIFY2(all.contains(QRegularExpression(u"^main\\.py:19:\\d+: error: .*\"prime\".*primes.*\\[unknown-worker\\]$"_s,
                                             QRegularExpression::MultilineOption)),
             qPrintable(all));
    QVERIFY2(all.contains(QRegularExpression(u"^worker\\.py:66:\\d+: error: .*count_primes.*\\[export-undefined\\]$"_s,
                                             QRegularExpression::MultilineOption)),
             qPrintable(all));
    QVERIFY(run.output.contains(u"3 error(s), 0 warning(s)"_s));

    // A syntax error is named at its line and column.
    QVERIFY(edit(copy + u"/main.py"_s, u"def show_status(text):"_s, u"def show_status(text)"_s));
    const Run syntax = runLoom({u"check"_s, copy});
    QVERIFY2(syntax.output.contains(QRegularExpression(u"^main\\.py:14:\\d+: error: .*\\[syntax\\]$"_s,
                                                       QRegularExpression::MultilineOption)),
             qPrintable(syntax.output));
}

void tst_Check::notAFolder_isAUsageError()
{
    const Run run = runLoom({u"check"_s, u"/nonexistent/project"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.output.contains(u"is not a folder"_s));
    QCOMPARE(runLoom({u"check"_s}).exitCode, 2);
}

QTEST_GUILESS_MAIN(tst_Check)
#include "tst_check.moc"
