#pragma once

#include <QDockWidget>

class QLabel;
class QTableView;

namespace Loom::Runtime {
class DiagnosticModel;
}

namespace Loom::Ui {

// What the checks found before the page runs: one row per problem, errors first; activating a
// row opens its file at its line.
class ProblemsDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit ProblemsDock(Runtime::DiagnosticModel *model, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProblemsDock)

    QTableView *table() const { return m_table; }
    // A line above the table: the count, or why the check could not run.
    void setStatus(const QString &text);

Q_SIGNALS:
    void openLocation(const QString &file, int line);

private:
    void updateTitle();

    Runtime::DiagnosticModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace Loom::Ui
