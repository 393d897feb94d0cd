#pragma once

#include "runtime/bridge/responsiveness.h"

#include <QList>
#include <QWidget>

namespace Loom::Ui {

// The light and the sparkline of ResponsivenessDock: paints what it is given, measures nothing.
class ResponsivenessGraph final : public QWidget
{
    Q_OBJECT

public:
    explicit ResponsivenessGraph(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ResponsivenessGraph)

    void setSamples(const QList<Runtime::Responsiveness::Sample> &samples);
    void setLevel(Runtime::Responsiveness::Level level, bool live);
    void beat(); // one sample arrived: the light pulses once

    QSize sizeHint() const override { return {260, 64}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    QList<Runtime::Responsiveness::Sample> m_samples;
    Runtime::Responsiveness::Level m_level = Runtime::Responsiveness::Level::Green;
    bool m_live = false;
    qreal m_pulse = 0; // 1 right after a beat, fading to 0
    int m_timer = 0;
};

} // namespace Loom::Ui
