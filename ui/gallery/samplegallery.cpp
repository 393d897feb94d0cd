#include "samplegallery.h"

#include "thumbnailrenderer.h"

#include "runtime/models/samplelistmodel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace Loom::Ui {

using namespace Runtime;
using namespace Qt::StringLiterals;

namespace {
constexpr int Margin = 8;   // around a card
constexpr int Padding = 10; // inside it
constexpr int ThumbHeight = 236;

QPixmap thumbnail(const QString &path)
{
    QPixmap pixmap;
    if (!path.isEmpty() && !QPixmapCache::find(path, &pixmap) && pixmap.load(path))
        QPixmapCache::insert(path, pixmap);
    return pixmap;
}
} // namespace

QSize SampleCardDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return CardSize;
}

void SampleCardDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QRectF card = QRectF(option.rect).adjusted(Margin, Margin, -Margin, -Margin);

    QPainterPath outline;
    outline.addRoundedRect(card, 8, 8);
    painter->fillPath(outline, palette.color(QPalette::Base));
    painter->setPen(
        QPen(selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid), selected ? 2.5 : 1));
    painter->drawPath(outline);

    // The thumbnail, clipped to the card's top; a placeholder until rendered.
    const QRectF thumb(card.left() + 1, card.top() + 1, card.width() - 2, ThumbHeight);
    painter->save();
    QPainterPath top;
    top.addRoundedRect(thumb, 7, 7);
    painter->setClipPath(top);
    const QPixmap pixmap = thumbnail(index.data(SampleListModel::ThumbnailPathRole).toString());
    if (pixmap.isNull()) {
        painter->fillRect(thumb, palette.color(QPalette::AlternateBase));
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(thumb, Qt::AlignCenter, SampleGallery::tr("Rendering a preview…"));
    } else {
        const QPixmap scaled = pixmap.scaledToWidth(int(thumb.width()), Qt::SmoothTransformation);
        painter->drawPixmap(thumb.topLeft(), scaled,
                            QRectF(0, 0, thumb.width(), std::min<qreal>(thumb.height(), scaled.height())));
    }
    painter->restore();
    painter->setPen(palette.color(QPalette::Mid));
    painter->drawLine(QPointF(thumb.left(), thumb.bottom()), QPointF(thumb.right(), thumb.bottom()));

    // The badge: does the sample run offline?
    const bool online = index.data(SampleListModel::NeedsNetworkRole).toBool();
    const QString badge = online ? SampleGallery::tr("Needs network") : SampleGallery::tr("Offline");
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.9);
    small.setBold(true);
    painter->setFont(small);
    const QFontMetricsF badgeMetrics(small);
    const QRectF badgeRect(thumb.right() - badgeMetrics.horizontalAdvance(badge) - 2 * Padding - 6, thumb.top() + 8,
                           badgeMetrics.horizontalAdvance(badge) + 2 * Padding, badgeMetrics.height() + 6);
    QPainterPath pill;
    pill.addRoundedRect(badgeRect, badgeRect.height() / 2, badgeRect.height() / 2);
    painter->fillPath(pill, online ? QColor(0xc2, 0x6a, 0x00) : QColor(0x2e, 0x7d, 0x32));
    painter->setPen(Qt::white);
    painter->drawText(badgeRect, Qt::AlignCenter, badge);

    // Title, tags, description.
    QRectF text(card.left() + Padding, thumb.bottom() + Padding, card.width() - 2 * Padding, 0);
    QFont title = option.font;
    title.setPointSizeF(option.font.pointSizeF() * 1.15);
    title.setBold(true);
    painter->setFont(title);
    painter->setPen(palette.color(QPalette::Text));
    const QFontMetricsF titleMetrics(title);
    text.setHeight(titleMetrics.height());
    painter->drawText(
        text, Qt::AlignLeft | Qt::AlignVCenter,
        titleMetrics.elidedText(index.data(SampleListModel::TitleRole).toString(), Qt::ElideRight, text.width()));

    QFont body = option.font;
    painter->setFont(body);
    const QFontMetricsF bodyMetrics(body);
    text.translate(0, titleMetrics.height() + 2);
    text.setHeight(bodyMetrics.height());
    painter->setPen(palette.color(QPalette::Link));
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                      bodyMetrics.elidedText(index.data(SampleListModel::TagsRole).toStringList().join(u"  ·  "_s),
                                             Qt::ElideRight, text.width()));

    text.translate(0, bodyMetrics.height() + 4);
    // Whole lines only: a line cut in half reads as a rendering fault.
    const qreal room = card.bottom() - Padding - text.top();
    text.setHeight(std::floor(room / bodyMetrics.lineSpacing()) * bodyMetrics.lineSpacing());
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(text, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                      index.data(SampleListModel::DescriptionRole).toString());
    painter->restore();
}

SampleGallery::SampleGallery(SampleListModel *model, ThumbnailRenderer *renderer, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_renderer(renderer)
    , m_filter(new SampleFilterProxyModel(this))
    , m_search(new QLineEdit)
    , m_tags(new QListWidget)
    , m_cards(new QListView)
    , m_count(new QLabel)
    , m_open(new QPushButton(tr("Open a copy")))
{
    setObjectName(u"SampleGallery"_s);
    m_filter->setSourceModel(model);

    m_search->setObjectName(u"sampleSearch"_s);
    m_search->setPlaceholderText(tr("Search the samples (title, description, tags, features)"));
    m_search->setClearButtonEnabled(true);

    // Tags as chips: checkable items that flow and wrap.
    m_tags->setObjectName(u"sampleTags"_s);
    m_tags->setFlow(QListView::LeftToRight);
    m_tags->setWrapping(true);
    m_tags->setResizeMode(QListView::Adjust);
    m_tags->setSpacing(3);
    m_tags->setMaximumHeight(64);
    m_tags->setFrameShape(QFrame::NoFrame);
    m_tags->setSelectionMode(QAbstractItemView::NoSelection);
    m_tags->setToolTip(tr("Show only the samples with every checked tag"));

    m_cards->setObjectName(u"sampleCards"_s);
    m_cards->setModel(m_filter);
    m_cards->setItemDelegate(new SampleCardDelegate(m_cards));
    m_cards->setViewMode(QListView::IconMode);
    m_cards->setMovement(QListView::Static);
    m_cards->setResizeMode(QListView::Adjust);
    m_cards->setUniformItemSizes(true);
    m_cards->setGridSize(SampleCardDelegate::CardSize);
    m_cards->setSelectionMode(QAbstractItemView::SingleSelection);
    m_cards->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_cards->setMouseTracking(true);

    m_open->setObjectName(u"openCopyButton"_s);
    m_open->setToolTip(tr("Copy the sample into your workspace and open it; the installed sample is never changed"));
    m_count->setObjectName(u"sampleCount"_s);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_count);
    bottom->addStretch();
    bottom->addWidget(m_open);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search);
    layout->addWidget(m_tags);
    layout->addWidget(m_cards, 1);
    layout->addLayout(bottom);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setSearchText(text);
        updateCount();
    });
    connect(m_tags, &QListWidget::itemChanged, this, [this] {
        QSet<QString> tags;
        for (int row = 0; row < m_tags->count(); ++row) {
            if (m_tags->item(row)->checkState() == Qt::Checked)
                tags.insert(m_tags->item(row)->text());
        }
        m_filter->setRequiredTags(tags);
        updateCount();
    });
    connect(m_cards, &QListView::activated, this, &SampleGallery::openCurrent);
    connect(m_open, &QPushButton::clicked, this, &SampleGallery::openCurrent);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SampleGallery::refreshTags);
    connect(m_renderer, &ThumbnailRenderer::thumbnailReady, m_model, &SampleListModel::setThumbnail);
    refreshTags();
}

void SampleGallery::refreshTags()
{
    const QSet<QString> checked = m_filter->requiredTags();
    m_tags->clear();
    for (const QString &tag : m_model->allTags()) {
        auto *item = new QListWidgetItem(tag, m_tags);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(tag) ? Qt::Checked : Qt::Unchecked);
    }
    updateCount(); // also selects the first card, the primes demo
    // Thumbnails for every sample: from the cache, or rendered while the gallery shows.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->index(row).data(SampleListModel::ThumbnailPathRole).toString().isEmpty())
            m_renderer->request(m_model->samples().at(row));
    }
}

void SampleGallery::updateCount()
{
    m_count->setText(m_filter->rowCount() == m_model->rowCount()
                         ? tr("%1 samples").arg(m_model->rowCount())
                         : tr("%1 of %2 samples").arg(m_filter->rowCount()).arg(m_model->rowCount()));
    m_open->setEnabled(m_filter->rowCount() > 0);
    if (!m_cards->currentIndex().isValid() && m_filter->rowCount() > 0)
        m_cards->setCurrentIndex(m_filter->index(0, 0));
}

void SampleGallery::openCurrent()
{
    const QModelIndex current = m_cards->currentIndex();
    if (current.isValid())
        Q_EMIT openSampleCopy(current.data(SampleListModel::NameRole).toString());
}

void SampleGallery::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_renderer->galleryShown();
}

void SampleGallery::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_renderer->galleryHidden();
}

} // namespace Loom::Ui
