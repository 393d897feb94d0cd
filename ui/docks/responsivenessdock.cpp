#include "responsivenessdock.h"

#include "responsivenessgraph.h"

#include "runtime/bridge/pagesession.h"

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Runtime;

ResponsivenessDock::ResponsivenessDock(QWidget *parent)
    : QDockWidget(tr("Responsiveness"), parent)
    , m_graph(new ResponsivenessGraph)
    , m_text(new QLabel)
{
    setObjectName(QStringLiteral("ResponsivenessDock"));
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_graph, 1);
    layout->addWidget(m_text);
    m_text->setObjectName(QStringLiteral("responsivenessText"));
    m_text->setWordWrap(true);
    setWidget(content);
    // Silence is measured on Loom's clock: check it even when no batch comes.
    auto *tick = new QTimer(this);
    tick->setInterval(250);
    connect(tick, &QTimer::timeout, this, &ResponsivenessDock::refresh);
    tick->start();
    refresh();
}

void ResponsivenessDock::setSession(PageSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_samplesSeen = 0;
    m_sinceSample.start();
    if (session) {
        connect(session, &PageSession::batchApplied, this, &ResponsivenessDock::refresh);
        connect(session, &QObject::destroyed, this, [this] { m_session = nullptr; });
    }
    refresh();
}

void ResponsivenessDock::setRunning(bool running)
{
    m_running = running;
    m_sinceSample.start();
    refresh();
}

QString ResponsivenessDock::summary() const
{
    return m_text->text();
}

void ResponsivenessDock::refresh()
{
    if (!m_session) {
        m_graph->setLevel(Responsiveness::Level::Green, false);
        m_graph->setSamples({});
        m_text->setText(tr("Run the page to measure its main thread."));
        return;
    }
    const Responsiveness &r = m_session->responsiveness();
    if (r.sampleCount() != m_samplesSeen) {
        m_samplesSeen = r.sampleCount();
        m_sinceSample.start();
        m_graph->beat();
        m_graph->setSamples(r.samples());
    }
    const bool silent = m_running && m_samplesSeen > 0 && m_sinceSample.elapsed() > SilenceMs;
    m_level = silent ? Responsiveness::Level::Red : r.level();
    m_graph->setLevel(m_level, m_running || m_samplesSeen > 0);
    const QList<Responsiveness::Sample> samples = r.samples();
    const int last = samples.isEmpty() ? 0 : samples.last().lagMs;
    QString text = silent
                       ? tr("No word from the main thread for %1 s: it is blocked.")
                             .arg(QString::number(m_sinceSample.elapsed() / 1000.0, 'f', 1))
                       : tr("Main thread %1: delay %2 ms now").arg(QString::fromLatin1(levelName(m_level))).arg(last);
    text += tr(" · worst stall %1 ms · %2 long task(s)").arg(r.worstStallMs()).arg(r.longTaskCount());
    m_text->setText(text);
}

} // namespace Loom::Ui
