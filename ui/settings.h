#pragma once

#include "runtime/debug/breakpoint.h"

#include <QByteArray>
#include <QObject>
#include <QStringList>

class QSettings;

namespace Loom::Ui {

// Loom's settings, typed and declared once; widgets never read raw keys.
class Settings final : public QObject
{
    Q_OBJECT

public:
    enum class Theme { System, Light, Dark };
    static constexpr qsizetype MaxRecentProjects = 10;

    explicit Settings(QObject *parent = nullptr);
    ~Settings() override;
    Q_DISABLE_COPY_MOVE(Settings)

    QStringList recentProjects() const;
    void addRecentProject(const QString &dir);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray &geometry);
    void setWindowState(const QByteArray &state);

    Theme theme() const;
    void setTheme(Theme theme);

    // File > Run on Save: a save in Loom re-runs the page (off by default).
    bool runOnSave() const;
    void setRunOnSave(bool on);

    // Where "Open a copy" and "New project" put projects.
    QString workspaceDir() const;

    // The port a project's page was last served on (0: none yet). The preview serves it there
    // again, so its origin, and with it the page's storage and PyScript's package cache in the
    // persistent browser profile, stays the same from one session to the next.
    quint16 projectPort(const QString &dir) const;
    void setProjectPort(const QString &dir, quint16 port);
    // Where a debug run pauses on exceptions (Run > Pause on Exceptions): uncaught by default.
    Runtime::ExceptionBreak exceptionBreak() const;
    void setExceptionBreak(Runtime::ExceptionBreak mode);
    // A project's breakpoints (Runtime::breakpointToSetting), kept across sessions.
    QStringList projectBreakpoints(const QString &dir) const;
    void setProjectBreakpoints(const QString &dir, const QStringList &breakpoints);

Q_SIGNALS:
    void recentProjectsChanged();

private:
    QSettings *m_settings = nullptr;
};

// Applies the theme to the application: System follows the desktop's colour scheme.
void applyTheme(Settings::Theme theme);

} // namespace Loom::Ui
