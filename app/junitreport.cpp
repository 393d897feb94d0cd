#include "junitreport.h"

#include <QStringList>
#include <QSysInfo>
#include <QXmlStreamWriter>

namespace Loom::App {

using namespace Qt::StringLiterals;

namespace {

// XML 1.0's Char production: tab, newlines, and from U+0020 on, but for lone surrogates,
// U+FFFE and U+FFFF. A page's console may hold anything else (an ANSI escape).
QString xmlText(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            out.append(c);
            out.append(text.at(++i));
            continue;
        }
        const char16_t u = c.unicode();
        const bool allowed = u == 0x9 || u == 0xA || u == 0xD || (u >= 0x20 && u < 0xD800)
                             || (u >= 0xE000 && u < 0xFFFE);
        out.append(allowed ? c : QChar(QChar::ReplacementCharacter));
    }
    return out;
}

QString seconds(double value)
{
    return QString::number(value, 'f', 3);
}

struct Counts
{
    int tests = 0;
    int failures = 0;
    int errors = 0;
    double seconds = 0;
};

Counts countsOf(const QList<const TestCaseResult *> &cases)
{
    Counts counts;
    for (const TestCaseResult *result : cases) {
        ++counts.tests;
        counts.failures += result->verdict == TestCaseResult::Verdict::Failed ? 1 : 0;
        counts.errors += result->verdict == TestCaseResult::Verdict::Error ? 1 : 0;
        counts.seconds += result->seconds;
    }
    return counts;
}

void writeCounts(QXmlStreamWriter &xml, const Counts &counts)
{
    xml.writeAttribute(u"tests"_s, QString::number(counts.tests));
    xml.writeAttribute(u"failures"_s, QString::number(counts.failures));
    xml.writeAttribute(u"errors"_s, QString::number(counts.errors));
}

void writeCase(QXmlStreamWriter &xml, const TestCaseResult &result)
{
    xml.writeStartElement(u"testcase"_s);
    xml.writeAttribute(u"name"_s, xmlText(result.name));
    xml.writeAttribute(u"classname"_s, xmlText(result.suite));
    xml.writeAttribute(u"time"_s, seconds(result.seconds));
    if (result.verdict != TestCaseResult::Verdict::Passed) {
        xml.writeStartElement(result.verdict == TestCaseResult::Verdict::Failed ? u"failure"_s : u"error"_s);
        xml.writeAttribute(u"message"_s, xmlText(result.message));
        xml.writeAttribute(u"type"_s, xmlText(result.type));
        xml.writeCharacters(xmlText(result.details));
        xml.writeEndElement();
    }
    QString output = result.output;
    // GitLab and Jenkins' junit-attachments plugin list a file named this way with the test case.
    if (!result.attachment.isEmpty())
        output += u"\n[[ATTACHMENT|%1]]\n"_s.arg(result.attachment);
    if (!output.isEmpty())
        xml.writeTextElement(u"system-out"_s, xmlText(output));
    xml.writeEndElement();
}

} // namespace

QByteArray junitXml(const QList<TestCaseResult> &results, const JUnitRun &run)
{
    QStringList suites;
    for (const TestCaseResult &result : results) {
        if (!suites.contains(result.suite))
            suites.append(result.suite);
    }
    QList<const TestCaseResult *> all;
    for (const TestCaseResult &result : results)
        all.append(&result);

    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(u"testsuites"_s);
    xml.writeAttribute(u"name"_s, u"loom test"_s);
    writeCounts(xml, countsOf(all));
    xml.writeAttribute(u"time"_s, seconds(run.seconds));
    const QString timestamp = run.started.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss"_s);
    const QString hostname = QSysInfo::machineHostName();
    for (qsizetype index = 0; index < suites.size(); ++index) {
        QList<const TestCaseResult *> cases;
        for (const TestCaseResult &result : results) {
            if (result.suite == suites.at(index))
                cases.append(&result);
        }
        const Counts counts = countsOf(cases);
        xml.writeStartElement(u"testsuite"_s);
        xml.writeAttribute(u"name"_s, xmlText(suites.at(index)));
        writeCounts(xml, counts);
        xml.writeAttribute(u"skipped"_s, u"0"_s);
        // The projects ran side by side (-j): the suite's time is the sum of its test cases'.
        xml.writeAttribute(u"time"_s, seconds(counts.seconds));
        xml.writeAttribute(u"timestamp"_s, timestamp);
        xml.writeAttribute(u"hostname"_s, xmlText(hostname));
        xml.writeAttribute(u"id"_s, QString::number(index));
        if (!run.properties.isEmpty()) {
            xml.writeStartElement(u"properties"_s);
            for (const auto &[name, value] : run.properties) {
                xml.writeStartElement(u"property"_s);
                xml.writeAttribute(u"name"_s, xmlText(name));
                xml.writeAttribute(u"value"_s, xmlText(value));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        for (const TestCaseResult *result : std::as_const(cases))
            writeCase(xml, *result);
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    return bytes;
}

} // namespace Loom::App
