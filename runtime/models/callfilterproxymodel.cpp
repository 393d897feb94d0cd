#include "runtime/models/callfilterproxymodel.h"

#include "runtime/models/calltablemodel.h"

namespace Loom::Runtime {

CallFilterProxyModel::CallFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(CallTableModel::SortRole);
}

CallFilterProxyModel::~CallFilterProxyModel() = default;

void CallFilterProxyModel::setFilter(const CallFilter &filter)
{
    if (filter.worker == m_filter.worker && filter.function == m_filter.function
        && filter.errorsOnly == m_filter.errorsOnly)
        return;
    m_filter = filter;
    invalidateRowsFilter();
}

bool CallFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    CallRecord call;
    call.workerName = index.data(CallTableModel::WorkerNameRole).toString();
    call.function = index.data(CallTableModel::FunctionRole).toString();
    call.finished = index.data(CallTableModel::FinishedRole).toBool();
    call.ok = index.data(CallTableModel::OkRole).toBool();
    return m_filter.matches(call);
}

} // namespace Loom::Runtime
