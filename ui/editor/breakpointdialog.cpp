#include "ui/editor/breakpointdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Loom::Ui {

BreakpointDialog::BreakpointDialog(const Runtime::Breakpoint &point, QWidget *parent)
    : QDialog(parent)
    , m_point(point)
    , m_condition(new QLineEdit(point.condition))
    , m_hitCondition(new QLineEdit(point.hitCondition))
    , m_log(new QLineEdit(point.log))
    , m_problem(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setObjectName(QStringLiteral("breakpointDialog"));
    setWindowTitle(tr("Breakpoint at %1:%2").arg(point.file).arg(point.line));
    m_condition->setObjectName(QStringLiteral("conditionEdit"));
    m_condition->setPlaceholderText(tr("a Python expression, e.g. limit > 1000"));
    m_hitCondition->setObjectName(QStringLiteral("hitConditionEdit"));
    m_hitCondition->setPlaceholderText(tr("5: the 5th time; >=5: from the 5th on; %5: every 5th"));
    m_log->setObjectName(QStringLiteral("logEdit"));
    m_log->setPlaceholderText(tr("a Python expression: logged to the thread's console, no pause"));
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Condition:"), m_condition);
    form->addRow(tr("&Hit count:"), m_hitCondition);
    form->addRow(tr("&Log (log point):"), m_log);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_hitCondition, &QLineEdit::textChanged, this, &BreakpointDialog::validate);
    resize(520, sizeHint().height());
    validate();
}

Runtime::Breakpoint BreakpointDialog::breakpoint() const
{
    Runtime::Breakpoint point = m_point;
    point.condition = m_condition->text().trimmed();
    point.hitCondition = m_hitCondition->text().trimmed();
    point.log = m_log->text().trimmed();
    return point;
}

void BreakpointDialog::validate()
{
    const bool valid = Runtime::isValidHitCondition(m_hitCondition->text());
    m_problem->setText(valid ? QString()
                             : tr("A hit count is a whole number, optionally after ==, >, >= or % (every Nth)."));
    m_problem->setVisible(!valid);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid);
}

} // namespace Loom::Ui
