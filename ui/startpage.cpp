#include "startpage.h"

#include "gallery/samplegallery.h"
#include "settings.h"

#include <QDir>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace Loom::Ui {

using namespace Qt::StringLiterals;

namespace {
constexpr int PathRole = Qt::UserRole + 1;

QLabel *heading(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.25);
    font.setBold(true);
    label->setFont(font);
    return label;
}
} // namespace

StartPage::StartPage(Settings *settings, Runtime::SampleListModel *samples, ThumbnailRenderer *thumbnails,
                     QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_recent(new QListWidget)
    , m_gallery(new SampleGallery(samples, thumbnails))
{
    setObjectName(QStringLiteral("StartPage"));
    m_recent->setObjectName(QStringLiteral("recentList"));

    auto *title = new QLabel(tr("<h1>Loom</h1><p>Edit, run and watch PyScript apps and their web workers.</p>"));
    auto *newButton = new QPushButton(tr("New project…"));
    auto *openButton = new QPushButton(tr("Open folder…"));

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(32, 24, 32, 24);
    layout->addWidget(title, 0, 0, 1, 2);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addStretch();
    layout->addLayout(buttons, 1, 0, 1, 2);
    layout->addWidget(heading(tr("Recent projects")), 2, 0);
    layout->addWidget(heading(tr("Samples")), 2, 1);
    layout->addWidget(m_recent, 3, 0);
    layout->addWidget(m_gallery, 3, 1);
    layout->setColumnStretch(0, 1);
    layout->setColumnStretch(1, 4);
    layout->setRowStretch(3, 1);

    connect(newButton, &QPushButton::clicked, this, &StartPage::newProject);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openFolder);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT openProject(item->data(PathRole).toString()); });
    connect(m_gallery, &SampleGallery::openSampleCopy, this, &StartPage::openSampleCopy);
    connect(settings, &Settings::recentProjectsChanged, this, &StartPage::refresh);
    refresh();
}

void StartPage::refresh()
{
    m_recent->clear();
    for (const QString &dir : m_settings->recentProjects()) {
        auto *item = new QListWidgetItem(
            QStringLiteral("%1\n%2").arg(QDir(dir).dirName(), QDir::toNativeSeparators(dir)));
        item->setData(PathRole, dir);
        m_recent->addItem(item);
    }
    if (m_recent->count() == 0)
        m_recent->addItem(tr("No recent projects yet."));
}

} // namespace Loom::Ui
