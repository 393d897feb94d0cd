#include "runtime/models/diagnosticmodel.h"

#include <QColor>

#include <algorithm>

namespace Loom::Runtime {

DiagnosticModel::DiagnosticModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void DiagnosticModel::setDiagnostics(QList<Diagnostic> diagnostics)
{
    // Errors first, then by place: what stops the page comes before what might.
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic &a, const Diagnostic &b) { return a.severity < b.severity; });
    beginResetModel();
    m_diagnostics = std::move(diagnostics);
    endResetModel();
}

int DiagnosticModel::errorCount() const
{
    return int(std::count_if(m_diagnostics.cbegin(), m_diagnostics.cend(),
                             [](const Diagnostic &d) { return d.severity == Diagnostic::Severity::Error; }));
}

int DiagnosticModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_diagnostics.size());
}

int DiagnosticModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiagnosticModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Diagnostic &diagnostic = m_diagnostics.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Severity:
            return diagnostic.severityName();
        case File:
            return diagnostic.file;
        case Line:
            return diagnostic.column > 0 ? QStringLiteral("%1:%2").arg(diagnostic.line).arg(diagnostic.column)
                                         : QString::number(diagnostic.line);
        case Message:
            return diagnostic.message;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return QStringLiteral("%1 [%2]").arg(diagnostic.message, diagnostic.code);
    case Qt::ForegroundRole:
        if (index.column() == Severity)
            return diagnostic.severity == Diagnostic::Severity::Error ? QColor(0xd9, 0x53, 0x4f)
                                                                      : QColor(0xc2, 0x6a, 0x00);
        return {};
    case FileRole:
        return diagnostic.file;
    case LineRole:
        return diagnostic.line;
    case ColumnRole:
        return diagnostic.column;
    case SeverityRole:
        return diagnostic.severityName();
    case CodeRole:
        return diagnostic.code;
    default:
        return {};
    }
}

QVariant DiagnosticModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Severity:
        return tr("Severity");
    case File:
        return tr("File");
    case Line:
        return tr("Line");
    case Message:
        return tr("Problem");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Loom::Runtime
