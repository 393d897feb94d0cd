#include "startpage.h"

#include "settings.h"

#include "runtime/samples.h"

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

StartPage::StartPage(Settings *settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_recent(new QListWidget)
    , m_samples(new QListWidget)
{
    setObjectName(QStringLiteral("StartPage"));
    m_recent->setObjectName(QStringLiteral("recentList"));
    m_samples->setObjectName(QStringLiteral("samplesList"));
    m_samples->setWordWrap(true);
    m_samples->setSpacing(2);

    auto *title = new QLabel(tr("<h1>Loom</h1><p>Edit, run and watch PyScript apps and their web workers.</p>"));
    auto *newButton = new QPushButton(tr("New project…"));
    auto *openButton = new QPushButton(tr("Open folder…"));
    auto *copyButton = new QPushButton(tr("Open a copy"));
    copyButton->setObjectName(QStringLiteral("openCopyButton"));

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
    layout->addWidget(m_samples, 3, 1);
    layout->addWidget(copyButton, 4, 1, Qt::AlignRight);
    layout->setColumnStretch(0, 2);
    layout->setColumnStretch(1, 3);

    connect(newButton, &QPushButton::clicked, this, &StartPage::newProject);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openFolder);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT openProject(item->data(PathRole).toString()); });
    connect(m_samples, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT openSampleCopy(item->data(PathRole).toString()); });
    connect(copyButton, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_samples->currentItem())
            Q_EMIT openSampleCopy(item->data(PathRole).toString());
    });
    connect(settings, &Settings::recentProjectsChanged, this, &StartPage::refresh);
    refresh();
}

void StartPage::refresh()
{
    m_recent->clear();
    for (const QString &dir : m_settings->recentProjects()) {
        auto *item = new QListWidgetItem(QStringLiteral("%1\n%2").arg(QDir(dir).dirName(), QDir::toNativeSeparators(dir)));
        item->setData(PathRole, dir);
        m_recent->addItem(item);
    }
    if (m_recent->count() == 0)
        m_recent->addItem(tr("No recent projects yet."));

    m_samples->clear();
    QList<Runtime::SampleInfo> samples = Runtime::listSamples();
    // The primes demo first: it is the one every tutorial starts from.
    std::stable_partition(samples.begin(), samples.end(), [](const Runtime::SampleInfo &s) { return s.name == u"primes"; });
    for (const Runtime::SampleInfo &sample : samples) {
        auto *item = new QListWidgetItem(QStringLiteral("%1  [%2]\n%3")
                                             .arg(sample.title, sample.needsNetwork ? tr("online") : tr("offline"),
                                                  sample.description));
        item->setData(PathRole, sample.name);
        item->setToolTip(sample.tags.join(u", "));
        m_samples->addItem(item);
    }
    if (m_samples->count() > 0)
        m_samples->setCurrentRow(0);
}

} // namespace Loom::Ui
