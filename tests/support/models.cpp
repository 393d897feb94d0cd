#include "tests/support/models.h"

#include "runtime/models/workertablemodel.h"

namespace Loom::TestSupport {

int rowOfWorker(const Runtime::WorkerTableModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(Runtime::WorkerTableModel::WorkerNameRole).toString() == name)
            return row;
    }
    return -1;
}

} // namespace Loom::TestSupport
