#include "runtime/models/workertablemodel.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/bridge/traceback.h"

#include <QLoggingCategory>

#include <array>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcWorkerTableModel, "loom.runtime.workertablemodel", QtWarningMsg)

namespace {

using Column = WorkerTableModel::Column;

// Roles whose value depends on the column; the others (WorkerTableModel::Role) are the row's.
constexpr std::array CellRoles{int(Qt::DisplayRole), int(Qt::ToolTipRole), int(WorkerTableModel::SortRole)};

QString displayName(const WorkerInfo &worker)
{
    return worker.name.isEmpty() ? QStringLiteral("#%1").arg(worker.id) : worker.name;
}

bool hasFinishedCalls(const WorkerInfo &worker)
{
    return worker.calls > worker.inFlight;
}

QVariant display(const WorkerInfo &worker, int column)
{
    switch (Column(column)) {
    case Column::Name:
        return displayName(worker);
    case Column::Type:
        return worker.type;
    case Column::State:
        return workerStateName(worker.state);
    case Column::ReadyIn:
        if (worker.timeToReadyMs() >= 0)
            return formatDuration(worker.timeToReadyMs());
        return worker.state == WorkerState::Starting || worker.state == WorkerState::Loading ? QStringLiteral("…")
                                                                                             : QString();
    case Column::Calls:
        return QString::number(worker.calls);
    case Column::InFlight:
        return QString::number(worker.inFlight);
    case Column::MeanMs:
        return hasFinishedCalls(worker) ? formatDuration(worker.meanMs()) : QString();
    case Column::MaxMs:
        return hasFinishedCalls(worker) ? formatDuration(worker.maxMs) : QString();
    case Column::LastError:
        return worker.lastError.isEmpty() ? QString() : errorSummary(worker.lastError);
    case Column::ColumnCount:
        break;
    }
    return {};
}

QVariant toolTip(const WorkerInfo &worker, int column)
{
    switch (Column(column)) {
    case Column::Name: {
        const QString where = worker.src.isEmpty() ? QStringLiteral("inline in the page") : worker.src;
        return worker.tagLine > 0 ? QStringLiteral("%1 (<script> on line %2)").arg(where).arg(worker.tagLine) : where;
    }
    case Column::LastError:
        return worker.lastError.isEmpty() ? QVariant() : QVariant(worker.lastError);
    default:
        return {};
    }
}

QVariant sortValue(const WorkerInfo &worker, int column)
{
    switch (Column(column)) {
    case Column::State:
        return int(worker.state);
    case Column::ReadyIn:
        return worker.timeToReadyMs();
    case Column::Calls:
        return worker.calls;
    case Column::InFlight:
        return worker.inFlight;
    case Column::MeanMs:
        return worker.meanMs();
    case Column::MaxMs:
        return worker.maxMs;
    default:
        return display(worker, column);
    }
}

QVariant cell(const WorkerInfo &worker, int column, int role)
{
    switch (role) {
    case Qt::DisplayRole:
        return display(worker, column);
    case Qt::ToolTipRole:
        return toolTip(worker, column);
    case WorkerTableModel::SortRole:
        return sortValue(worker, column);
    case WorkerTableModel::StateRole:
        return int(worker.state);
    case WorkerTableModel::WorkerIdRole:
        return worker.id;
    case WorkerTableModel::WorkerNameRole:
        return worker.name;
    case Qt::TextAlignmentRole:
        if (column >= Column::ReadyIn && column <= Column::MaxMs)
            return SessionTableModel::alignedRight();
        return {};
    default:
        return {};
    }
}

// The columns whose data differ between two snapshots of one worker, as [first, last], or
// {-1, -1}. A change of a role every column carries (state, name) is a change of the whole row.
std::pair<int, int> changedColumns(const WorkerInfo &before, const WorkerInfo &after)
{
    if (before.state != after.state || before.name != after.name || before.id != after.id)
        return {0, Column::ColumnCount - 1};
    int first = -1;
    int last = -1;
    for (int column = 0; column < Column::ColumnCount; ++column) {
        for (const int role : CellRoles) {
            if (cell(before, column, role) != cell(after, column, role)) {
                if (first < 0)
                    first = column;
                last = column;
                break;
            }
        }
    }
    return {first, last};
}

} // namespace

WorkerTableModel::WorkerTableModel(QObject *parent)
    : SessionTableModel(ColumnCount, parent)
{}

WorkerTableModel::~WorkerTableModel() = default;

const WorkerInfo *WorkerTableModel::workerAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

void WorkerTableModel::load(const PageSession *session)
{
    m_rows = session ? session->workers().workers() : QList<WorkerInfo>();
}

void WorkerTableModel::update()
{
    Q_ASSERT(session());
    const QList<WorkerInfo> &workers = session()->workers().workers();
    // WorkerRegistry only appends, so a row keeps its worker for the whole run. Anything else is
    // a bug upstream: start over rather than show one worker's numbers on another's row.
    bool sameRows = workers.size() >= m_rows.size();
    for (qsizetype row = 0; sameRows && row < m_rows.size(); ++row)
        sameRows = workers.at(row).id == m_rows.at(row).id;
    if (!sameRows) {
        qCWarning(lcWorkerTableModel) << "worker rows were removed or reordered; resetting";
        reload(session());
        return;
    }

    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        const auto [first, last] = changedColumns(m_rows.at(row), workers.at(row));
        // Kept even when no cell changed: workerAt() also serves exports and error locations.
        m_rows[row] = workers.at(row);
        if (first >= 0)
            Q_EMIT dataChanged(index(int(row), first), index(int(row), last));
    }

    if (workers.size() > m_rows.size()) {
        beginInsertRows({}, int(m_rows.size()), int(workers.size() - 1));
        m_rows.append(workers.sliced(m_rows.size()));
        endInsertRows();
    }
}

int WorkerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant WorkerTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= m_rows.size() || index.column() >= ColumnCount)
        return {};
    return cell(m_rows.at(index.row()), index.column(), role);
}

QVariant WorkerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return SessionTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case Name:
            return QStringLiteral("Worker");
        case Type:
            return QStringLiteral("Type");
        case State:
            return QStringLiteral("State");
        case ReadyIn:
            return QStringLiteral("Ready in");
        case Calls:
            return QStringLiteral("Calls");
        case InFlight:
            return QStringLiteral("In flight");
        case MeanMs:
            return QStringLiteral("Mean");
        case MaxMs:
            return QStringLiteral("Max");
        case LastError:
            return QStringLiteral("Last error");
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case ReadyIn:
            return QStringLiteral("From the worker's creation until it was ready: interpreter download, start-up and "
                                  "the worker script");
        case MeanMs:
        case MaxMs:
            return QStringLiteral("Duration of a call, request to reply, as the main thread saw it");
        default:
            break;
        }
    }
    if (role == Qt::TextAlignmentRole && section >= ReadyIn && section <= MaxMs)
        return SessionTableModel::alignedRight();
    return {};
}

QHash<int, QByteArray> WorkerTableModel::roleNames() const
{
    QHash<int, QByteArray> names = SessionTableModel::roleNames();
    names.insert(StateRole, "state");
    names.insert(WorkerIdRole, "workerId");
    names.insert(WorkerNameRole, "workerName");
    names.insert(SortRole, "sort");
    return names;
}

} // namespace Loom::Runtime
