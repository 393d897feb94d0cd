#include "settings.h"

#include "runtime/project/project.h"

#include <QCryptographicHash>
#include <QDir>
#include <QGuiApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleHints>

namespace Loom::Ui {

namespace {
constexpr auto RecentKey = "projects/recent";
constexpr auto GeometryKey = "window/geometry";
constexpr auto StateKey = "window/state";
constexpr auto ThemeKey = "view/theme";
constexpr auto RunOnSaveKey = "run/runOnSave";
constexpr auto ExceptionBreakKey = "debug/pauseOnExceptions";
constexpr auto WorkspaceKey = "projects/workspace";
constexpr auto PortsGroup = "projects/ports/";

// A settings key for a folder: its path hashed (paths hold the separators QSettings uses).
QString folderKey(const char *group, const QString &dir)
{
    const QByteArray path = QDir(dir).absolutePath().toUtf8();
    return QString::fromLatin1(group)
           + QString::fromLatin1(QCryptographicHash::hash(path, QCryptographicHash::Sha1).toHex().left(16));
}

QString portKey(const QString &dir)
{
    return folderKey(PortsGroup, dir);
}

QString key(const char *name)
{
    return QString::fromLatin1(name);
}
} // namespace

Settings::Settings(QObject *parent)
    : QObject(parent)
    , m_settings(new QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("Loom"),
                               QStringLiteral("loom"), this))
{}

Settings::~Settings() = default;

QStringList Settings::recentProjects() const
{
    QStringList recent = m_settings->value(key(RecentKey)).toStringList();
    recent.removeIf([](const QString &dir) { return !Runtime::Project(dir).hasEntryPage(); });
    return recent;
}

void Settings::addRecentProject(const QString &dir)
{
    QStringList recent = m_settings->value(key(RecentKey)).toStringList();
    const QString path = QDir(dir).absolutePath();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > MaxRecentProjects)
        recent.removeLast();
    m_settings->setValue(key(RecentKey), recent);
    Q_EMIT recentProjectsChanged();
}

QByteArray Settings::windowGeometry() const
{
    return m_settings->value(key(GeometryKey)).toByteArray();
}

QByteArray Settings::windowState() const
{
    return m_settings->value(key(StateKey)).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(key(GeometryKey), geometry);
}

void Settings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(key(StateKey), state);
}

Settings::Theme Settings::theme() const
{
    const QString value = m_settings->value(key(ThemeKey)).toString();
    return value == u"light" ? Theme::Light : value == u"dark" ? Theme::Dark : Theme::System;
}

void Settings::setTheme(Theme theme)
{
    m_settings->setValue(key(ThemeKey), theme == Theme::Light  ? QStringLiteral("light")
                                        : theme == Theme::Dark ? QStringLiteral("dark")
                                                               : QStringLiteral("system"));
}

bool Settings::runOnSave() const
{
    return m_settings->value(key(RunOnSaveKey), false).toBool();
}

void Settings::setRunOnSave(bool on)
{
    m_settings->setValue(key(RunOnSaveKey), on);
}

QString Settings::workspaceDir() const
{
    const QString fallback = QDir(QStandardPaths::writableLocation(QStandardPaths::HomeLocation))
                                 .filePath(QStringLiteral("Loom"));
    return m_settings->value(key(WorkspaceKey), fallback).toString();
}

void applyTheme(Settings::Theme theme)
{
    // Qt 6.8: the style follows the hint, and widgets get a matching palette.
    QGuiApplication::styleHints()->setColorScheme(theme == Settings::Theme::Light  ? Qt::ColorScheme::Light
                                                  : theme == Settings::Theme::Dark ? Qt::ColorScheme::Dark
                                                                                   : Qt::ColorScheme::Unknown);
}

quint16 Settings::projectPort(const QString &dir) const
{
    const uint port = m_settings->value(portKey(dir)).toUInt();
    return port > 0 && port <= 65535 ? quint16(port) : 0;
}

void Settings::setProjectPort(const QString &dir, quint16 port)
{
    m_settings->setValue(portKey(dir), port);
}

Runtime::ExceptionBreak Settings::exceptionBreak() const
{
    const QString value = m_settings->value(key(ExceptionBreakKey)).toString();
    return value == u"none"     ? Runtime::ExceptionBreak::Never
           : value == u"raised" ? Runtime::ExceptionBreak::Raised
                                : Runtime::ExceptionBreak::Uncaught;
}

void Settings::setExceptionBreak(Runtime::ExceptionBreak mode)
{
    m_settings->setValue(key(ExceptionBreakKey), QString::fromLatin1(Runtime::exceptionBreakName(mode)));
}

QStringList Settings::projectBreakpoints(const QString &dir) const
{
    return m_settings->value(folderKey("breakpoints/", dir)).toStringList();
}

void Settings::setProjectBreakpoints(const QString &dir, const QStringList &breakpoints)
{
    m_settings->setValue(folderKey("breakpoints/", dir), breakpoints);
}

} // namespace Loom::Ui
