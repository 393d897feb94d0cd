#include "tests/support/events.h"

#include "runtime/bridge/pagesession.h"

#include <string_view>

namespace Loom::TestSupport {

using namespace Loom::Runtime;

PageEvent pageEvent(PageEvent::Kind kind, double t, int worker)
{
    PageEvent event;
    event.kind = kind;
    event.t = t;
    event.worker = worker;
    return event;
}

PageEvent stdoutLine(int worker, double t, const QString &text)
{
    PageEvent event = pageEvent(PageEvent::Kind::Stdout, t, worker);
    event.text = text;
    return event;
}

QByteArray eventJson(const QByteArray &kind, double t, int worker, const QByteArray &fields)
{
    // The page clock to the microsecond, as performance.timeOrigin + now() gives it.
    QByteArray json = "{\"k\":\"" + kind + "\",\"t\":" + QByteArray::number(t, 'f', 3)
                      + ",\"w\":" + QByteArray::number(worker);
    if (!fields.isEmpty())
        json += ',' + fields;
    return json + '}';
}

QByteArray workerCreatedJson(double t, int worker, const QByteArray &name, const QByteArray &src, int index)
{
    QByteArray script = "\"script\":{\"name\":\"" + name + "\",\"type\":\"py\",\"src\":\"" + src + '"';
    if (index >= 0)
        script += ",\"index\":" + QByteArray::number(index);
    script += '}';
    return eventJson("worker-created", t, worker, script);
}

QList<QByteArray> workerStartJson(double t, int worker, const QByteArray &name, const QByteArray &src,
                                  const QByteArray &function, int index)
{
    const QByteArray exported = "\"fn\":\"" + function + '"';
    return {workerCreatedJson(t, worker, name, src, index),
            eventJson("worker-interpreter", t, worker, R"("type":"py")"), eventJson("export", t, worker, exported),
            eventJson("worker-ready", t, worker)};
}

QByteArray batchJson(const QList<QByteArray> &events)
{
    return "{\"events\":[" + events.join(',') + "]}";
}

Result<qsizetype> deliver(PageSession &session, QByteArrayView json)
{
    auto batch = parseEventBatch(std::string_view(json.data(), size_t(json.size())));
    if (!batch)
        return failure(batch.error());
    if (batch->rejected > 0)
        return failure(QStringLiteral("%1 event(s) rejected").arg(batch->rejected));
    const qsizetype count = batch->events.size();
    session.enqueue(std::move(*batch));
    return count;
}

} // namespace Loom::TestSupport
