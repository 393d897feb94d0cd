#pragma once

#include <QStyledItemDelegate>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QPushButton;

namespace Loom::Runtime {
class SampleFilterProxyModel;
class SampleListModel;
} // namespace Loom::Runtime

namespace Loom::Ui {

class ThumbnailRenderer;

// One gallery card: the sample's rendered thumbnail (a placeholder until it exists), an
// offline or online badge on it, the title, the tags and the start of the description.
class SampleCardDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    static constexpr QSize CardSize{380, 372};
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

// The sample gallery: cards with search and tag filters, and "Open a copy" (also on
// double-click or Enter). While it is on screen, missing thumbnails are rendered.
class SampleGallery final : public QWidget
{
    Q_OBJECT

public:
    SampleGallery(Runtime::SampleListModel *model, ThumbnailRenderer *renderer, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SampleGallery)

    QListView *cards() const { return m_cards; }
    QLineEdit *searchField() const { return m_search; }
    QListWidget *tagFilter() const { return m_tags; }
    Runtime::SampleFilterProxyModel *filter() const { return m_filter; }
    // Rebuilds the tag filter from the model's samples.
    void refreshTags();

Q_SIGNALS:
    void openSampleCopy(const QString &sampleName);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void openCurrent();
    void updateCount();

    Runtime::SampleListModel *m_model = nullptr;
    ThumbnailRenderer *m_renderer = nullptr;
    Runtime::SampleFilterProxyModel *m_filter = nullptr;
    QLineEdit *m_search = nullptr;
    QListWidget *m_tags = nullptr;
    QListView *m_cards = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_open = nullptr;
};

} // namespace Loom::Ui
