#pragma once

#include "sessionview.h"

#include <QDockWidget>

class QCheckBox;
class QComboBox;
class QTableView;

namespace Loom::Runtime {
class CallFilterProxyModel;
class CallTableModel;
class PageSession;
} // namespace Loom::Runtime

namespace Loom::Ui {

// Every main -> worker call: a virtualised table, filtered by worker, function or errors,
// cleared, or exported to JSON. A failed call leads to the line that raised.
class CallLogDock final : public QDockWidget, public SessionView
{
    Q_OBJECT

public:
    explicit CallLogDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CallLogDock)

    void setSession(Runtime::PageSession *session) override;
    Runtime::CallTableModel *model() const { return m_model; }
    QTableView *view() const { return m_table; }
    // Writes the calls shown (filter applied) as JSON.
    bool exportTo(const QString &path) const;

Q_SIGNALS:
    void openLocation(const QString &file, int line);

private:
    void applyFilter();
    void updateWorkers();

    Runtime::PageSession *m_session = nullptr;
    Runtime::CallTableModel *m_model = nullptr;
    Runtime::CallFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_worker = nullptr;
    QComboBox *m_function = nullptr; // the names seen: the filter is exact, as the export is
    QCheckBox *m_errorsOnly = nullptr;
};

} // namespace Loom::Ui
