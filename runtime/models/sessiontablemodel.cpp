#include "runtime/models/sessiontablemodel.h"

#include "runtime/bridge/pagesession.h"

namespace Loom::Runtime {

QString formatDuration(double ms)
{
    if (ms < 0)
        return {};
    // Three significant digits, decided after rounding (999.96 ms is "1.00 s", not "1000 ms").
    const auto digits = [](double value) {
        return QString::number(value, 'f', value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2);
    };
    if (ms >= 999.5)
        return digits(ms / 1000) + QStringLiteral(" s");
    return digits(ms) + QStringLiteral(" ms");
}

SessionTableModel::SessionTableModel(int columns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columns(columns)
{}

SessionTableModel::~SessionTableModel() = default;

void SessionTableModel::setSession(const PageSession *session)
{
    if (session == m_session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    reload(session);
    if (!m_session)
        return;
    connect(m_session, &PageSession::batchApplied, this, &SessionTableModel::update);
    connect(m_session, &QObject::destroyed, this, [this] { reload(nullptr); });
}

void SessionTableModel::reload(const PageSession *session)
{
    beginResetModel();
    m_session = session;
    load(session);
    endResetModel();
}

int SessionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_columns;
}

Qt::ItemFlags SessionTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return QAbstractTableModel::flags(index);
    return QAbstractTableModel::flags(index) | Qt::ItemNeverHasChildren;
}

QVariant SessionTableModel::alignedRight()
{
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
}

} // namespace Loom::Runtime
