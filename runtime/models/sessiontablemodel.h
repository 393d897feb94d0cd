#pragma once

#include <QAbstractTableModel>

namespace Loom::Runtime {

class PageSession;

// A duration for people, three significant digits: "2.97 s", "76.8 ms", "0.42 ms".
// Empty for an unknown duration (negative, as CallRecord and WorkerInfo mark it).
QString formatDuration(double ms);

// What the session's table models share: a flat table of a fixed number of columns over one
// PageSession, refreshed on each PageSession::batchApplied without a reset (the subclass's
// update()), reset only by setSession() or when the session is destroyed (the end of the run, as
// far as a view is concerned: it shows nothing). Lives on the session's thread.
class SessionTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    ~SessionTableModel() override;
    Q_DISABLE_COPY_MOVE(SessionTableModel)

    // nullptr: no rows. Resets the model.
    void setSession(const PageSession *session);
    const PageSession *session() const { return m_session; }

    int columnCount(const QModelIndex &parent = {}) const final;
    // The Qt::TextAlignmentRole of a number's cell or header.
    static QVariant alignedRight();
    Qt::ItemFlags flags(const QModelIndex &index) const final;

protected:
    SessionTableModel(int columns, QObject *parent);

    // Start over from the session (nullptr: no rows): the subclass reloads its rows in load().
    void reload(const PageSession *session);
    // Within a reset: fill the rows from the session (nullptr: empty them).
    virtual void load(const PageSession *session) = 0;
    // The session applied a batch: insert, remove and signal dataChanged for what changed.
    virtual void update() = 0;

private:
    const PageSession *m_session = nullptr;
    const int m_columns;
};

} // namespace Loom::Runtime
