#pragma once

#include "runtime/debug/breakpoint.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Loom::Ui {

// Edits a breakpoint's condition, hit count and log expression, as VS Code's breakpoint widget
// and Qt Creator's breakpoint dialog do. A hit count Loom cannot read is refused here, before a
// run.
class BreakpointDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit BreakpointDialog(const Runtime::Breakpoint &point, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(BreakpointDialog)

    Runtime::Breakpoint breakpoint() const;

private:
    void validate();

    Runtime::Breakpoint m_point;
    QLineEdit *m_condition = nullptr;
    QLineEdit *m_hitCondition = nullptr;
    QLineEdit *m_log = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Loom::Ui
