#pragma once

#include <QDockWidget>
#include <QPointer>

class QWebEnginePage;
class QWebEngineView;

namespace Loom::Ui {

// Chromium's DevTools for the preview page, attached the first time the dock is shown.
class DevToolsDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit DevToolsDock(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DevToolsDock)

    void setInspectedPage(QWebEnginePage *page);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void attach();

    QPointer<QWebEnginePage> m_inspected;
    QWebEngineView *m_view = nullptr;
};

} // namespace Loom::Ui
