#pragma once

#include "runtime/bridge/workerregistry.h"
#include "runtime/models/sessiontablemodel.h"

#include <QList>

namespace Loom::Runtime {

// The workers of one run, one row each, for the workers dock. The model serves a snapshot of the
// session's WorkerRegistry, refreshed on each PageSession::batchApplied: new workers are inserted
// at the end and rows whose values changed signal dataChanged, so views keep their selection
// through a run; only setSession() resets. States are roles (StateRole), never colours: the UI
// picks those.
class WorkerTableModel final : public SessionTableModel
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

    // The snapshot behind a row (lastErrorLocations, exports...), valid until the next update;
    // nullptr out of range.
    const WorkerInfo *workerAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void load(const PageSession *session) override;
    void update() override;

    QList<WorkerInfo> m_rows;
};

} // namespace Loom::Runtime
