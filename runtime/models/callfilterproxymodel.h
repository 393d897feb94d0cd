#pragma once

#include "runtime/bridge/calllog.h"

#include <QSortFilterProxyModel>

namespace Loom::Runtime {

// The calls a CallFilter keeps, over a CallTableModel (or any model with its WorkerNameRole,
// FunctionRole, FinishedRole and OkRole). It applies CallFilter::matches itself, so the proxy
// shows exactly the calls CallTableModel::exportJson(filter()) writes: the worker by its exact
// name, the function by its exact name (the dock offers the names seen, not free text), errors
// only = finished and failed. A call that fails later appears as it fails (dynamic filtering).
// Sorting, when a view asks for it, uses CallTableModel::SortRole.
class CallFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit CallFilterProxyModel(QObject *parent = nullptr);
    ~CallFilterProxyModel() override;
    Q_DISABLE_COPY_MOVE(CallFilterProxyModel)

    void setFilter(const CallFilter &filter);
    const CallFilter &filter() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    CallFilter m_filter;
};

} // namespace Loom::Runtime
