#include "responsivenessgraph.h"

#include "ui/statuscolors.h"

#include <QPainter>
#include <QPainterPath>
#include <QTimerEvent>

#include <algorithm>

namespace Loom::Ui {

using Runtime::Responsiveness;

ResponsivenessGraph::ResponsivenessGraph(QWidget *parent)
    : QWidget(parent)
{
    setMinimumHeight(48);
}

void ResponsivenessGraph::setSamples(const QList<Responsiveness::Sample> &samples)
{
    m_samples = samples;
    QWidget::update();
}

void ResponsivenessGraph::setLevel(Responsiveness::Level level, bool live)
{
    m_level = level;
    m_live = live;
    QWidget::update();
}

void ResponsivenessGraph::beat()
{
    m_pulse = 1;
    if (!m_timer)
        m_timer = startTimer(33);
}

void ResponsivenessGraph::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer)
        return QWidget::timerEvent(event);
    m_pulse = std::max<qreal>(0, m_pulse - 0.12);
    if (m_pulse <= 0) {
        killTimer(m_timer);
        m_timer = 0;
    }
    QWidget::update();
}

void ResponsivenessGraph::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor color = m_live ? StatusColors::forLevel(m_level)
                                : palette().color(QPalette::Disabled, QPalette::WindowText);

    // The light: a disc whose halo grows with each beat.
    const qreal radius = std::min<qreal>(height() / 2.0 - 6, 14);
    const QPointF centre(radius + 8, height() / 2.0);
    if (m_pulse > 0) {
        QColor halo = color;
        halo.setAlphaF(0.35 * m_pulse);
        painter.setPen(Qt::NoPen);
        painter.setBrush(halo);
        painter.drawEllipse(centre, radius + 6 * m_pulse, radius + 6 * m_pulse);
    }
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(centre, radius, radius);

    // The sparkline: 30 s of delay, on a scale that keeps the red line in view.
    const QRectF plot(centre.x() + radius + 14, 4, width() - centre.x() - radius - 20, height() - 8);
    if (plot.width() < 20)
        return;
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(plot);
    if (m_samples.isEmpty())
        return;
    int top = Responsiveness::RedMs * 2;
    for (const auto &sample : std::as_const(m_samples))
        top = std::max(top, sample.lagMs);
    const double end = m_samples.last().t;
    const double span = 30'000;
    const auto yFor = [&](int lag) { return plot.bottom() - plot.height() * std::min(1.0, double(lag) / top); };
    for (int threshold : {Responsiveness::AmberMs, Responsiveness::RedMs}) {
        QColor line = StatusColors::forLevel(Responsiveness::levelFor(threshold));
        line.setAlphaF(0.5);
        painter.setPen(QPen(line, 1, Qt::DashLine));
        painter.drawLine(QPointF(plot.left(), yFor(threshold)), QPointF(plot.right(), yFor(threshold)));
    }
    QPainterPath path;
    bool first = true;
    for (const auto &sample : std::as_const(m_samples)) {
        const double x = plot.right() - plot.width() * std::min(1.0, (end - sample.t) / span);
        const QPointF point(x, yFor(sample.lagMs));
        if (first)
            path.moveTo(point);
        else
            path.lineTo(point);
        first = false;
    }
    painter.setPen(QPen(palette().color(QPalette::WindowText), 1.5));
    painter.drawPath(path);
}

} // namespace Loom::Ui
