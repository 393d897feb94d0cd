// The checks before a run, end to end: the real page scan, the real nlohmann config parse and the
// real embedded CPython running resources/python/loom_analysis/. The rows are small projects
// in check_cases.json, each with every diagnostic it must produce; completion through Jedi too.
#include "runtime/project/projectcheck.h"
#include "runtime/python/pythonengine.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Loom::Runtime;
using namespace Qt::StringLiterals;

namespace {
const QString Cases = QStringLiteral(LOOM_TESTS_DIR "/runtime/check_cases.json");

QJsonArray cases()
{
    QFile file(Cases);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).array();
}

// "file:line:severity:code" (and ":column" when the row gives one), the form rows are compared in.
QString key(const QString &file, int line, const QString &severity, const QString &code, int column = 0)
{
    return u"%1:%2:%3:%4"_s.arg(file).arg(line).arg(severity, code) + (column > 0 ? u":%1"_s.arg(column) : QString());
}

QJsonObject completion(const QByteArray &code, int line, int column, const QString &path = u"main.py"_s)
{
    QJsonObject request{{u"code"_s, QString::fromUtf8(code)},
                        {u"line"_s, line},
                        {u"column"_s, column},
                        {u"path"_s, path},
                        {u"type"_s, u"py"_s},
                        {u"worker"_s, false},
                        {u"projectFiles"_s, QJsonObject()}};
    auto reply = PythonEngine::instance().callAndWait(u"loom_complete"_s, u"complete"_s,
                                                      QJsonDocument(request).toJson(QJsonDocument::Compact));
    if (!reply) {
        qWarning() << reply.error();
        return {};
    }
    return QJsonDocument::fromJson(*reply).object();
}

QStringList names(const QJsonObject &reply)
{
    QStringList list;
    for (const QJsonValue &item : reply.value(u"completions"_s).toArray())
        list.append(item.toObject().value(u"name"_s).toString());
    return list;
}
} // namespace

class tst_ProjectCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void diagnostics_data();
    void diagnostics();
    void jsonConfigError_hasItsLineAndColumn();
    void unsavedText_isCheckedInsteadOfTheFile();
    void malformedReply_isDropped();
    void completion_knowsThePyscriptModule();
    void engine_answersOffTheCallersThread();
};

void tst_ProjectCheck::diagnostics_data()
{
    QTest::addColumn<QJsonObject>("row");
    const QJsonArray rows = cases();
    QVERIFY2(rows.size() >= 25, "check_cases.json holds the rows");
    QSet<QString> kinds;
    for (const QJsonValue &row : rows) {
        QTest::newRow(qPrintable(row.toObject().value(u"name"_s).toString())) << row.toObject();
        for (const QJsonValue &expected : row.toObject().value(u"expect"_s).toArray())
            kinds.insert(expected.toObject().value(u"code"_s).toString());
    }
    // Every kind the issue lists has rows.
    for (const QString &kind :
         {u"syntax"_s, u"export-missing"_s, u"export-not-list"_s, u"export-undefined"_s, u"unknown-worker"_s,
          u"not-exported"_s, u"mpy-packages"_s, u"offline-packages"_s, u"config-syntax"_s, u"config-unknown-key"_s})
        QVERIFY2(kinds.contains(kind), qPrintable(kind));
}

void tst_ProjectCheck::diagnostics()
{
    QFETCH(QJsonObject, row);
    QTemporaryDir project;
    const QJsonObject files = row.value(u"files"_s).toObject();
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString path = project.filePath(it.key());
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(it.value().toString().toUtf8());
    }
    const auto found = checkProject({project.path(), {}, row.value(u"offline"_s).toBool(true)});
    QVERIFY2(found, qPrintable(found ? QString() : found.error()));

    QStringList expected;
    bool withColumns = false;
    for (const QJsonValue &value : row.value(u"expect"_s).toArray()) {
        const QJsonObject e = value.toObject();
        withColumns = withColumns || e.contains(u"column"_s);
        expected.append(key(e.value(u"file"_s).toString(), e.value(u"line"_s).toInt(),
                            e.value(u"severity"_s).toString(), e.value(u"code"_s).toString(),
                            e.value(u"column"_s).toInt()));
    }
    QStringList actual;
    for (const Diagnostic &d : *found) {
        QVERIFY2(!d.message.isEmpty(), qPrintable(d.toString()));
        // A column only where the row pins one, so rows stay readable.
        int column = 0;
        for (const QJsonValue &value : row.value(u"expect"_s).toArray()) {
            const QJsonObject e = value.toObject();
            if (e.value(u"code"_s).toString() == d.code && e.value(u"line"_s).toInt() == d.line
                && e.contains(u"column"_s))
                column = d.column;
        }
        actual.append(key(d.file, d.line, d.severityName(), d.code, column));
    }
    expected.sort();
    actual.sort();
    QString all;
    for (const Diagnostic &d : *found)
        all += d.toString() + u'\n';
    QVERIFY2(actual == expected, qPrintable(u"expected:\n  %1\ngot:\n%2"_s.arg(expected.join(u"\n  "_s), all)));
}

void tst_ProjectCheck::jsonConfigError_hasItsLineAndColumn()
{
    QTemporaryDir project;
    QFile html(project.filePath(u"index.html"_s));
    QVERIFY(html.open(QIODevice::WriteOnly));
    html.write("<!DOCTYPE html>\n<html><body>\n"
               "<script type=\"py\" worker name=\"w\" src=\"./w.py\" config=\"./w.json\"></script>\n</body></html>\n");
    html.close();
    QFile worker(project.filePath(u"w.py"_s));
    QVERIFY(worker.open(QIODevice::WriteOnly));
    worker.write("def f():\n    return 1\n\n__export__ = [\"f\"]\n");
    worker.close();
    QFile config(project.filePath(u"w.json"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("{\n  \"packages\": [],\n  \"files\": {\"a.txt\": \"./a.txt\",}\n}\n"); // trailing comma
    config.close();

    const auto found = checkProject({project.path(), {}, true});
    QVERIFY2(found, qPrintable(found ? QString() : found.error()));
    QCOMPARE(found->size(), 1);
    const Diagnostic &d = found->first();
    QCOMPARE(d.file, u"w.json"_s);
    QCOMPARE(d.code, u"config-syntax"_s);
    QCOMPARE(d.line, 3);
    QCOMPARE(d.column, 32); // the "}" after the comma
    QVERIFY2(d.message.contains(u"not valid JSON"_s), qPrintable(d.message));
}

void tst_ProjectCheck::unsavedText_isCheckedInsteadOfTheFile()
{
    QTemporaryDir project;
    QFile html(project.filePath(u"index.html"_s));
    QVERIFY(html.open(QIODevice::WriteOnly));
    html.write("<!DOCTYPE html>\n<html><body>\n<script type=\"mpy\" src=\"./main.py\"></script>\n</body></html>\n");
    html.close();
    QFile main(project.filePath(u"main.py"_s));
    QVERIFY(main.open(QIODevice::WriteOnly));
    main.write("print('fine')\n");
    main.close();

    auto found = checkProject({project.path(), {}, true});
    QVERIFY(found && found->isEmpty());
    // The editor holds a broken line the disk does not have yet.
    found = checkProject({project.path(), {{u"main.py"_s, u"print('fine')\nprint(\n"_s}}, true});
    QVERIFY2(found, qPrintable(found ? QString() : found.error()));
    QCOMPARE(found->size(), 1);
    QCOMPARE(found->first().code, u"syntax"_s);
    QCOMPARE(found->first().file, u"main.py"_s);
    QCOMPARE(found->first().line, 2);
}

void tst_ProjectCheck::malformedReply_isDropped()
{
    const QList<Diagnostic> parsed = parseDiagnostics(R"([
        {"file": "a.py", "line": 2, "column": 3, "severity": "warning", "code": "x", "message": "kept"},
        {"file": "", "line": 2, "message": "no file"},
        {"file": "a.py", "line": 0, "message": "no line"},
        {"file": "a.py", "line": "2", "message": "line as text"},
        {"file": "a.py", "line": 4, "message": ""},
        "not an object", 7, null])");
    QCOMPARE(parsed.size(), 1);
    QCOMPARE(parsed.first().message, u"kept"_s);
    QCOMPARE(parsed.first().severity, Diagnostic::Severity::Warning);
    QVERIFY(parseDiagnostics("{not json").isEmpty());
    QVERIFY(parseDiagnostics(R"({"file": "a.py"})").isEmpty());
}

void tst_ProjectCheck::completion_knowsThePyscriptModule()
{
    // A name of the module, from Loom's stubs.
    QVERIFY2(names(completion("from pyscript import wor", 1, 24)).contains(u"workers"_s),
             qPrintable(names(completion("from pyscript import wor", 1, 24)).join(u", "_s)));
    const QStringList web = names(completion("from pyscript import web\nweb.pa", 2, 6));
    QVERIFY2(web.contains(u"page"_s), qPrintable(web.join(u", "_s)));
    // The call tip of create_named_worker, with the argument being typed.
    const QJsonObject tip = completion("from pyscript import create_named_worker\ncreate_named_worker(\"./w.py\", ", 2,
                                       30);
    const QJsonArray signatures = tip.value(u"signatures"_s).toArray();
    QVERIFY(!signatures.isEmpty());
    const QJsonObject signature = signatures.first().toObject();
    QCOMPARE(signature.value(u"name"_s).toString(), u"create_named_worker"_s);
    QStringList params;
    for (const QJsonValue &param : signature.value(u"params"_s).toArray())
        params.append(param.toString());
    QVERIFY2(params.join(u' ').contains(u"src"_s) && params.join(u' ').contains(u"name"_s),
             qPrintable(params.join(u", "_s)));
    QCOMPARE(signature.value(u"index"_s).toInt(), 1);
    // Plain Python still completes.
    QVERIFY(names(completion("import math\nmath.sq", 2, 7)).contains(u"sqrt"_s));
}

void tst_ProjectCheck::engine_answersOffTheCallersThread()
{
    // call() returns at once; the answer arrives later on the caller's thread, via its event loop.
    QObject context;
    bool answered = false;
    QThread *answeredOn = nullptr;
    PythonEngine::instance().call(u"loom_analysis"_s, u"check_project"_s,
                                  R"({"offline": true, "scripts": [], "files": {}})", &context,
                                  [&](const Result<QByteArray> &reply) {
                                      answered = reply.has_value();
                                      answeredOn = QThread::currentThread();
                                  });
    QVERIFY(!answered);
    QTRY_VERIFY(answered);
    QCOMPARE(answeredOn, QThread::currentThread());
}

QTEST_GUILESS_MAIN(tst_ProjectCheck)
#include "tst_projectcheck.moc"
