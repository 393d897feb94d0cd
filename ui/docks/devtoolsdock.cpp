#include "devtoolsdock.h"

#include <QWebEnginePage>
#include <QWebEngineView>

namespace Loom::Ui {

DevToolsDock::DevToolsDock(QWidget *parent)
    : QDockWidget(tr("DevTools"), parent)
{
    setObjectName(QStringLiteral("DevToolsDock"));
}

void DevToolsDock::setInspectedPage(QWebEnginePage *page)
{
    m_inspected = page;
    if (isVisible())
        attach();
}

void DevToolsDock::showEvent(QShowEvent *event)
{
    QDockWidget::showEvent(event);
    attach();
}

void DevToolsDock::attach()
{
    // DevTools cost a renderer of their own: made only when someone looks.
    if (!m_inspected)
        return;
    if (!m_view) {
        m_view = new QWebEngineView(this);
        setWidget(m_view);
    }
    if (m_inspected->devToolsPage() != m_view->page())
        m_inspected->setDevToolsPage(m_view->page());
}

} // namespace Loom::Ui
