#pragma once

#include <QDockWidget>

class QLabel;
class QPushButton;
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
    // The "Fetch Missing Packages" button, offered while a problem says a package is missing.
    void fetchPackagesRequested();

private:
    void updateTitle();

    Runtime::DiagnosticModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_fetch = nullptr;
};

} // namespace Loom::Ui
