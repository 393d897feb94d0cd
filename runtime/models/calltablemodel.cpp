#include "runtime/models/calltablemodel.h"

#include "runtime/bridge/jsonexport.h"
#include "runtime/bridge/pagesession.h"
#include "runtime/bridge/traceback.h"

#include <QLoggingCategory>

#include <algorithm>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcCallTableModel, "loom.runtime.calltablemodel", QtWarningMsg)

namespace {

using Column = CallTableModel::Column;

QString workerName(const CallRecord &call)
{
    return call.workerName.isEmpty() ? QStringLiteral("#%1").arg(call.worker) : call.workerName;
}

QString outcome(const CallRecord &call)
{
    if (!call.finished)
        return QStringLiteral("…");
    return call.ok ? call.result : QStringLiteral("error: ") + errorSummary(call.error);
}

QVariant display(const CallRecord &call, int column)
{
    switch (Column(column)) {
    case Column::Worker:
        return workerName(call);
    case Column::Function:
        return call.function;
    case Column::Arguments:
        return call.args.join(QStringLiteral(", "));
    case Column::Outcome:
        return outcome(call);
    case Column::MainMs:
        return formatDuration(call.mainMs);
    case Column::WorkerMs:
        return formatDuration(call.workerMs);
    case Column::ColumnCount:
        break;
    }
    return {};
}

QVariant toolTip(const CallRecord &call, int column)
{
    switch (Column(column)) {
    case Column::Arguments:
        return call.args.isEmpty() ? QVariant() : QVariant(call.args.join(u'\n'));
    case Column::Outcome:
        if (!call.finished)
            return QStringLiteral("In flight");
        if (call.ok)
            return call.result;
        return call.explanation.isEmpty() ? call.error : call.error + QStringLiteral("\n\n") + call.explanation;
    default:
        return {};
    }
}

QVariant sortValue(const CallRecord &call, int column)
{
    switch (Column(column)) {
    case Column::MainMs:
        return call.mainMs;
    case Column::WorkerMs:
        return call.workerMs;
    default:
        return display(call, column);
    }
}

QVariant cell(const CallRecord &call, int column, int role)
{
    switch (role) {
    case Qt::DisplayRole:
        return display(call, column);
    case Qt::ToolTipRole:
        return toolTip(call, column);
    case Qt::TextAlignmentRole:
        if (column == Column::MainMs || column == Column::WorkerMs)
            return SessionTableModel::alignedRight();
        return {};
    case CallTableModel::SortRole:
        return sortValue(call, column);
    case CallTableModel::OkRole:
        return call.finished && call.ok;
    case CallTableModel::FinishedRole:
        return call.finished;
    case CallTableModel::ErrorRole:
        return call.finished && !call.ok ? call.error : QString();
    case CallTableModel::ExplanationRole:
        return call.explanation;
    case CallTableModel::CallIdRole:
        return call.callId;
    case CallTableModel::WorkerIdRole:
        return call.worker;
    case CallTableModel::WorkerNameRole:
        return call.workerName;
    case CallTableModel::FunctionRole:
        return call.function;
    default:
        return {};
    }
}

} // namespace

CallTableModel::CallTableModel(QObject *parent)
    : SessionTableModel(ColumnCount, parent)
{}

CallTableModel::~CallTableModel() = default;

CallTableModel::RowState CallTableModel::stateOf(const CallRecord &call)
{
    return {call.finished, call.ok, call.args.size(), call.workerMs, call.mainMs};
}

void CallTableModel::load(const PageSession *session)
{
    m_rows.clear();
    m_first = 0;
    m_seenDropped = 0;
    if (session) {
        const CallLog &log = session->calls();
        m_first = m_seenDropped = log.dropped();
        for (qsizetype i = 0; i < log.size(); ++i)
            m_rows.push_back(stateOf(log.at(i)));
    }
}

void CallTableModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_first += qsizetype(m_rows.size());
    m_rows.clear();
    endResetModel();
}

const CallRecord *CallTableModel::callAt(int row) const
{
    if (!session() || row < 0 || row >= qsizetype(m_rows.size()))
        return nullptr;
    // Between a change of the log and the batchApplied that follows it, a row's call may have
    // fallen off the ring already: the row then has no record.
    const CallLog &log = session()->calls();
    const qsizetype i = m_first + row - log.dropped();
    return i >= 0 && i < log.size() ? &log.at(i) : nullptr;
}

void CallTableModel::update()
{
    Q_ASSERT(session());
    const CallLog &log = session()->calls();
    const qsizetype dropped = log.dropped();
    const qsizetype end = dropped + log.size(); // one past the newest call's sequence number
    if (dropped < m_seenDropped || end < m_first + qsizetype(m_rows.size())) {
        // Only CallLog::clear() renumbers calls, and PageSession never calls it.
        qCWarning(lcCallTableModel) << "the call log was cleared under the model; resetting";
        reload(session());
        return;
    }
    m_seenDropped = dropped;

    // Calls that fell off the front of the ring.
    const qsizetype gone = std::clamp<qsizetype>(dropped - m_first, 0, qsizetype(m_rows.size()));
    if (gone > 0) {
        beginRemoveRows({}, 0, int(gone - 1));
        m_rows.erase(m_rows.begin(), m_rows.begin() + gone);
        m_first += gone;
        endRemoveRows();
    }
    // More fell off than were shown (a flood in one batch, or calls hidden by clear()).
    m_first = std::max(m_first, dropped);

    // Calls that changed: one signal per run of adjacent rows.
    const int rows = int(m_rows.size());
    int changedFrom = -1;
    for (int row = 0; row <= rows; ++row) {
        bool changed = false;
        if (row < rows) {
            const RowState now = stateOf(log.at(m_first + row - dropped));
            changed = now != m_rows[size_t(row)];
            if (changed)
                m_rows[size_t(row)] = now;
        }
        if (changed && changedFrom < 0)
            changedFrom = row;
        if (!changed && changedFrom >= 0) {
            Q_EMIT dataChanged(index(changedFrom, 0), index(row - 1, ColumnCount - 1));
            changedFrom = -1;
        }
    }

    // New calls at the end.
    const qsizetype shownEnd = m_first + qsizetype(m_rows.size());
    if (end > shownEnd) {
        beginInsertRows({}, rows, int(end - m_first - 1));
        for (qsizetype seq = shownEnd; seq < end; ++seq)
            m_rows.push_back(stateOf(log.at(seq - dropped)));
        endInsertRows();
    }
}

QByteArray CallTableModel::exportJson(const CallFilter &filter) const
{
    QList<CallRecord> calls;
    for (int row = 0; row < rowCount(); ++row) {
        const CallRecord *call = callAt(row);
        if (call && filter.matches(*call))
            calls.append(*call);
    }
    return QByteArray::fromStdString(callsToJson(calls).dump(2));
}

int CallTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant CallTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.column() >= ColumnCount)
        return {};
    const CallRecord *call = callAt(index.row());
    return call ? cell(*call, index.column(), role) : QVariant();
}

QVariant CallTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return SessionTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case Worker:
            return QStringLiteral("Worker");
        case Function:
            return QStringLiteral("Function");
        case Arguments:
            return QStringLiteral("Arguments");
        case Outcome:
            return QStringLiteral("Result / error");
        case MainMs:
            return QStringLiteral("Main");
        case WorkerMs:
            return QStringLiteral("Worker");
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case MainMs:
            return QStringLiteral("Request to reply, as the main thread saw it");
        case WorkerMs:
            return QStringLiteral("Time spent inside the worker");
        default:
            break;
        }
    }
    if (role == Qt::TextAlignmentRole && (section == MainMs || section == WorkerMs))
        return SessionTableModel::alignedRight();
    return {};
}

QHash<int, QByteArray> CallTableModel::roleNames() const
{
    QHash<int, QByteArray> names = SessionTableModel::roleNames();
    names.insert(OkRole, "ok");
    names.insert(FinishedRole, "finished");
    names.insert(ErrorRole, "error");
    names.insert(ExplanationRole, "explanation");
    names.insert(CallIdRole, "callId");
    names.insert(WorkerIdRole, "workerId");
    names.insert(WorkerNameRole, "workerName");
    names.insert(FunctionRole, "function");
    names.insert(SortRole, "sort");
    return names;
}

} // namespace Loom::Runtime
