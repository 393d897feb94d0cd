#pragma once

#include "runtime/project/samples.h"

#include <QAbstractListModel>
#include <QHash>
#include <QSet>
#include <QSortFilterProxyModel>

namespace Loom::Runtime {

// The samples as the gallery shows them, one row each, in gallery order. A thumbnail is a PNG
// file rendered from the sample itself; until it exists the row has no thumbnail path.
class SampleListModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        TitleRole,
        DescriptionRole,
        TagsRole,          // QStringList
        FeaturesRole,      // QStringList
        NeedsNetworkRole,  // bool
        ThumbnailPathRole, // QString, empty until rendered
    };

    explicit SampleListModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SampleListModel)

    void setSamples(const QList<SampleInfo> &samples);
    const QList<SampleInfo> &samples() const { return m_samples; }
    const SampleInfo *sample(const QString &name) const;
    QStringList allTags() const; // by how many samples carry them, then by name
    void setThumbnail(const QString &name, const QString &path);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<SampleInfo> m_samples;
    QHash<QString, QString> m_thumbnails; // name -> PNG path
};

// The gallery's search and tag filters: a row shows when every word of the search is in its
// name, title, description, tags or features, and it carries every selected tag.
class SampleFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit SampleFilterProxyModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SampleFilterProxyModel)

    void setSearchText(const QString &text);
    void setRequiredTags(const QSet<QString> &tags);
    QSet<QString> requiredTags() const { return m_tags; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QStringList m_words;
    QSet<QString> m_tags;
};

} // namespace Loom::Runtime
