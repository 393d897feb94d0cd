#pragma once

#include "runtime/bridge/calllog.h"
#include "runtime/models/sessiontablemodel.h"

#include <QByteArray>

#include <deque>

namespace Loom::Runtime {

// The session's calls (its CallLog), one row each, oldest first, for the calls dock. Updated on
// each PageSession::batchApplied without a reset: calls that fell off the front of the log's ring
// are removed from the top, new calls inserted at the bottom, and rows whose call changed
// (finished, failed late, its start arrived after its end) signal dataChanged.
//
// Rows are addressed by the call's sequence number in the log (CallLog::dropped() + index), which
// stays put as the ring turns. clear() empties the view without touching the log (it is the
// session's, and const here): calls up to then stay hidden, only later ones show, and
// exportJson() writes only what the model shows.
class CallTableModel final : public SessionTableModel
{
    Q_OBJECT

public:
    enum Column { Worker, Function, Arguments, Outcome, MainMs, WorkerMs, ColumnCount };
    Q_ENUM(Column)

    // Every column of a row carries these.
    enum Role {
        OkRole = Qt::UserRole + 1, // bool: finished and returned
        FinishedRole,              // bool: false while in flight
        ErrorRole,                 // QString: the worker's whole traceback, empty unless failed
        ExplanationRole,           // QString: the error in plain words, when Loom knows one
        CallIdRole,                // int, per worker
        WorkerIdRole,              // int, the page's worker id
        WorkerNameRole,            // QString, empty for an unnamed XWorker
        FunctionRole,              // QString
        SortRole,                  // the column's raw value: durations sort as numbers
    };
    Q_ENUM(Role)

    explicit CallTableModel(QObject *parent = nullptr);
    ~CallTableModel() override;
    Q_DISABLE_COPY_MOVE(CallTableModel)

    // setSession() resets the model and forgets a clear().
    // The record behind a row (locations of its traceback...), valid until the session applies
    // its next batch; nullptr out of range.
    const CallRecord *callAt(int row) const;

    // Hides every call shown now; calls made later appear. A reset: nothing is left to select.
    void clear();
    // The calls the model shows that match, as CallLog::toJson writes them (the same document
    // when nothing was cleared).
    QByteArray exportJson(const CallFilter &filter = {}) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    // What the views were last told about a row's call: the fields that change after it starts.
    struct RowState
    {
        bool finished = false;
        bool ok = false;
        qsizetype args = 0;
        double workerMs = -1;
        double mainMs = -1;
        bool operator==(const RowState &) const = default;
    };
    static RowState stateOf(const CallRecord &call);

    void load(const PageSession *session) override;
    void update() override;

    qsizetype m_first = 0;       // sequence number of row 0; lower ones fell off or were cleared
    qsizetype m_seenDropped = 0; // CallLog::dropped() at the last update
    std::deque<RowState> m_rows;
};

} // namespace Loom::Runtime
