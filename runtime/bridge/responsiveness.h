#pragma once

#include <QList>

#include <deque>

namespace Loom::Runtime {

// How well the page's main thread answers, measured inside the page (a 50 ms timer's lateness
// and long-task entries, every 250 ms; resources/bridge/instrument.js), not a CSS animation.
// Levels: green below 50 ms of lag (the long-task threshold: input still feels instant),
// amber from 50 ms, red from 200 ms (a visible freeze).
class Responsiveness final
{
public:
    enum class Level { Green, Amber, Red };
    static constexpr int AmberMs = 50;
    static constexpr int RedMs = 200;
    static constexpr qsizetype MaxSamples = 120; // 30 s at 4 samples a second
    // The page samples every 250 ms from its main thread; no sample for this long means that
    // thread is blocked (the sample itself would say so, once it ends).
    static constexpr int SilenceMs = 1000;

    struct Sample
    {
        double t = 0;
        int lagMs = 0;
        int longTasks = 0;
    };

    void addSample(double t, int lagMs, int longTasks, int longestTaskMs);

    static Level levelFor(int lagMs);
    Level level() const; // of the newest second
    // The run ended at page-clock time `now` (it began at `since`): a main thread silent for
    // SilenceMs or more was blocked when it ended, for that long, and that is its worst stall.
    void endAt(double now, double since);
    int blockedAtEndMs() const { return m_blockedAtEnd; }
    // Of the whole run: the level of the worst stall.
    Level worstLevel() const { return levelFor(m_worst); }
    int worstStallMs() const { return m_worst; }
    int longTaskCount() const { return m_longTasks; }
    qsizetype sampleCount() const { return m_count; }
    QList<Sample> samples() const { return {m_samples.cbegin(), m_samples.cend()}; }

private:
    std::deque<Sample> m_samples;
    int m_worst = 0;
    int m_longTasks = 0;
    int m_blockedAtEnd = 0;
    qsizetype m_count = 0;
};

const char *levelName(Responsiveness::Level level);

} // namespace Loom::Runtime
