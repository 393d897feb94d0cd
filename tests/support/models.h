#pragma once
// The runtime's item models read as a view reads them.
#include <QString>

namespace Loom::Runtime {
class WorkerTableModel;
}

namespace Loom::TestSupport {

// The row of the worker named `name` (WorkerNameRole), or -1 while the model has none.
int rowOfWorker(const Runtime::WorkerTableModel *model, const QString &name);

} // namespace Loom::TestSupport
