#pragma once

#include "runtime/bridge/workerregistry.h"

#include <QAbstractTableModel>
#include <QList>

namespace Loom::Runtime {

class PageSession;

// A duration for people, three significant digits: "2.97 s", "76.8 ms", "0.42 ms".
// Empty for an unknown duration (negative, as CallRecord and WorkerInfo mark it).
QString formatDuration(double ms);

// The workers of one run, one row each, for the workers dock. The model serves a snapshot of the
// session's WorkerRegistry, refreshed on each PageSession::batchApplied: new workers are inserted
// at the end and rows whose values changed signal dataChanged, so views keep their selection
// through a run; only setSession() resets. States are roles (StateRole), never colours: the UI
// picks those. Lives on the session's thread.
class WorkerTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Type, State, ReadyIn, Calls, InFlight, MeanMs, MaxMs, LastError, ColumnCount };
    Q_ENUM(Column)

    // Every column of a row carries these.
    enum Role {
        StateRole = Qt::UserRole + 1, // int(WorkerState)
        WorkerIdRole,                 // int, the page's worker id (1..)
        WorkerNameRole,               // QString, empty for an unnamed XWorker
        SortRole,                     // the column's raw value: durations sort as numbers
    };
    Q_ENUM(Role)

    explicit WorkerTableModel(QObject *parent = nullptr);
    ~WorkerTableModel() override;
    Q_DISABLE_COPY_MOVE(WorkerTableModel)

    // nullptr: no rows. Resets the model; a session destroyed first empties it.
    void setSession(const PageSession *session);
    const PageSession *session() const { return m_session; }
    // The snapshot behind a row (lastErrorLocations, exports...), valid until the next update;
    // nullptr out of range.
    const WorkerInfo *workerAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void reset(const PageSession *session);
    void update();

    const PageSession *m_session = nullptr;
    QList<WorkerInfo> m_rows;
};

} // namespace Loom::Runtime
