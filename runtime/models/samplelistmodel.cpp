#include "runtime/models/samplelistmodel.h"

#include <QMap>

#include <algorithm>

namespace Loom::Runtime {

SampleListModel::SampleListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void SampleListModel::setSamples(const QList<SampleInfo> &samples)
{
    beginResetModel();
    m_samples = samples;
    endResetModel();
}

const SampleInfo *SampleListModel::sample(const QString &name) const
{
    const auto it = std::find_if(m_samples.cbegin(), m_samples.cend(),
                                 [&name](const SampleInfo &s) { return s.name == name; });
    return it == m_samples.cend() ? nullptr : &*it;
}

QStringList SampleListModel::allTags() const
{
    QMap<QString, int> counts;
    for (const SampleInfo &sample : m_samples) {
        for (const QString &tag : sample.tags)
            ++counts[tag];
    }
    QStringList tags = counts.keys(); // by name
    std::stable_sort(tags.begin(), tags.end(),
                     [&counts](const QString &a, const QString &b) { return counts[a] > counts[b]; });
    return tags;
}

void SampleListModel::setThumbnail(const QString &name, const QString &path)
{
    for (int row = 0; row < m_samples.size(); ++row) {
        if (m_samples.at(row).name == name) {
            m_thumbnails.insert(name, path);
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed, {ThumbnailPathRole, Qt::DecorationRole});
            return;
        }
    }
}

int SampleListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_samples.size());
}

QVariant SampleListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SampleInfo &sample = m_samples.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return sample.title;
    case Qt::ToolTipRole:
        return sample.description;
    case NameRole:
        return sample.name;
    case DescriptionRole:
        return sample.description;
    case TagsRole:
        return sample.tags;
    case FeaturesRole:
        return sample.features;
    case NeedsNetworkRole:
        return sample.needsNetwork;
    case ThumbnailPathRole:
        return m_thumbnails.value(sample.name);
    default:
        return {};
    }
}

QHash<int, QByteArray> SampleListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(TitleRole, "title");
    names.insert(DescriptionRole, "description");
    names.insert(TagsRole, "tags");
    names.insert(FeaturesRole, "features");
    names.insert(NeedsNetworkRole, "needsNetwork");
    names.insert(ThumbnailPathRole, "thumbnailPath");
    return names;
}

SampleFilterProxyModel::SampleFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{}

void SampleFilterProxyModel::setSearchText(const QString &text)
{
    m_words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    invalidateRowsFilter();
}

void SampleFilterProxyModel::setRequiredTags(const QSet<QString> &tags)
{
    m_tags = tags;
    invalidateRowsFilter();
}

bool SampleFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QStringList tags = index.data(SampleListModel::TagsRole).toStringList();
    for (const QString &tag : m_tags) {
        if (!tags.contains(tag))
            return false;
    }
    if (m_words.isEmpty())
        return true;
    const QString haystack = QStringList{index.data(SampleListModel::NameRole).toString(),
                                         index.data(SampleListModel::TitleRole).toString(),
                                         index.data(SampleListModel::DescriptionRole).toString(), tags.join(u' '),
                                         index.data(SampleListModel::FeaturesRole).toStringList().join(u' ')}
                                 .join(u' ');
    return std::all_of(m_words.cbegin(), m_words.cend(),
                       [&haystack](const QString &word) { return haystack.contains(word, Qt::CaseInsensitive); });
}

} // namespace Loom::Runtime
