#pragma once

#include "runtime/project/projectcheck.h"

#include <QAbstractTableModel>

namespace Loom::Runtime {

// The Problems dock's rows: the project's diagnostics from the last check, errors first.
class DiagnosticModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Severity, File, Line, Message, ColumnCount };
    enum Role { FileRole = Qt::UserRole + 1, LineRole, ColumnRole, SeverityRole, CodeRole };

    explicit DiagnosticModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DiagnosticModel)

    void setDiagnostics(QList<Diagnostic> diagnostics);
    const QList<Diagnostic> &diagnostics() const { return m_diagnostics; }
    int errorCount() const;
    int warningCount() const { return int(m_diagnostics.size()) - errorCount(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Diagnostic> m_diagnostics;
};

} // namespace Loom::Runtime
