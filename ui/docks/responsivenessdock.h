#pragma once

#include "sessionview.h"

#include "runtime/bridge/responsiveness.h"

#include <QDockWidget>
#include <QElapsedTimer>

class QLabel;

namespace Loom::Runtime {
class PageSession;
}

namespace Loom::Ui {

class ResponsivenessGraph;

// The page's main thread, measured inside the page: a light that beats once per sample the page
// sends (a blocked main thread sends none, so the light stops and turns red: silence is a
// measurement too), its colour from the measured delay, a sparkline of the last 30 s and the
// worst stall.
class ResponsivenessDock final : public QDockWidget, public SessionView
{
    Q_OBJECT

public:
    // Samples come every 250 ms; this long without one while the page runs means it is blocked.
    static constexpr int SilenceMs = Runtime::Responsiveness::SilenceMs;

    explicit ResponsivenessDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ResponsivenessDock)

    void setSession(Runtime::PageSession *session) override;
    void setRunning(bool running);
    // What the light shows now: from the newest samples, or red after a silence.
    Runtime::Responsiveness::Level level() const { return m_level; }
    QString summary() const;

private:
    void refresh();

    Runtime::PageSession *m_session = nullptr;
    ResponsivenessGraph *m_graph = nullptr;
    QLabel *m_text = nullptr;
    QElapsedTimer m_sinceSample;
    qsizetype m_samplesSeen = 0;
    bool m_running = false;
    Runtime::Responsiveness::Level m_level = Runtime::Responsiveness::Level::Green;
};

} // namespace Loom::Ui
