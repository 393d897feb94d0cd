#include "ui/editor/documentstore.h"

#include "ui/editor/codeeditor.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QSaveFile>
#include <QScopeGuard>
#include <QStringDecoder>

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

Q_LOGGING_CATEGORY(lcDocumentStore, "loom.ui.editor.documentstore", QtWarningMsg)

using namespace std::chrono_literals;

namespace Loom::Ui {

using Runtime::failure;
using Runtime::Result;

struct DocumentStore::Document
{
    QsciDocument text;
    QsciScintilla::EolMode eolMode = QsciScintilla::EolUnix;
    QByteArray knownHash;    // of the bytes Loom last read or wrote
    QByteArray lastSeenHash; // of the disk content last looked at (reported once)
    QList<QPointer<CodeEditor>> editors;
    bool modified = false;
    bool replacing = false; // the text is being replaced: its modification signals are not news
};

namespace {

QString shown(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

QByteArray hashOf(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

// The file's content hash, or nothing when it is missing or unreadable.
std::optional<QByteArray> diskHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return hashOf(file.readAll());
}

struct Loaded
{
    QByteArray bytes;
    QString text;
};

Result<Loaded> load(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return failure(QStringLiteral("Cannot open %1: there is no such file.").arg(shown(path)));
    if (!info.isFile())
        return failure(QStringLiteral("Cannot open %1: it is not a regular file.").arg(shown(path)));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("Cannot read %1: %2.").arg(shown(path), file.errorString()));
    Loaded loaded;
    loaded.bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return failure(QStringLiteral("Cannot read %1: %2.").arg(shown(path), file.errorString()));
    if (loaded.bytes.contains('\0'))
        return failure(QStringLiteral("Cannot open %1: it is a binary file, not text.").arg(shown(path)));
    QStringDecoder decoder(QStringDecoder::Utf8);
    loaded.text = decoder.decode(loaded.bytes);
    if (decoder.hasError())
        return failure(
            QStringLiteral("Cannot open %1: it is not UTF-8 text (Loom edits UTF-8 files only).").arg(shown(path)));
    return loaded;
}

QsciScintilla::EolMode eolModeOf(const QByteArray &bytes)
{
    return bytes.contains("\r\n") ? QsciScintilla::EolWindows : QsciScintilla::EolUnix;
}

} // namespace

DocumentStore::DocumentStore(QObject *parent)
    : QObject(parent)
    , m_scratch(std::make_unique<QsciScintilla>())
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(100ms);
    connect(&m_settle, &QTimer::timeout, this, &DocumentStore::checkPending);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        m_pending.insert(path);
        m_settle.start();
    });
    // A program that deletes and re-creates a file ends the file's watch; its folder still sees it.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this](const QString &folder) {
        for (const auto &[path, document] : m_documents) {
            if (QFileInfo(path).absolutePath() == folder)
                m_pending.insert(path);
        }
        m_settle.start();
    });
}

DocumentStore::~DocumentStore() = default;

QString DocumentStore::documentPath(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

Result<CodeEditor *> DocumentStore::openEditor(const QString &path, QWidget *parent)
{
    const QString key = documentPath(path);
    if (Document *document = find(key)) {
        auto *editor = new CodeEditor(parent);
        editor->setDocument(document->text);
        attach(key, *document, editor);
        return editor;
    }

    auto loaded = load(key);
    if (!loaded)
        return failure(loaded.error());
    auto document = std::make_unique<Document>();
    document->eolMode = eolModeOf(loaded->bytes);
    document->knownHash = hashOf(loaded->bytes);
    document->lastSeenHash = document->knownHash;
    auto *editor = new CodeEditor(parent);
    editor->setEolMode(document->eolMode);
    editor->setText(loaded->text);
    editor->setModified(false);
    editor->setCursorPosition(0, 0);
    document->text = editor->document();
    Document &added = *m_documents.emplace(key, std::move(document)).first->second;
    watch(key);
    attach(key, added, editor);
    return editor;
}

QList<CodeEditor *> DocumentStore::editors(const QString &path) const
{
    QList<CodeEditor *> result;
    if (const Document *document = find(path)) {
        for (const auto &editor : document->editors) {
            if (editor)
                result.append(editor);
        }
    }
    return result;
}

QStringList DocumentStore::openPaths() const
{
    QStringList paths;
    for (const auto &[path, document] : m_documents)
        paths.append(path);
    return paths;
}

bool DocumentStore::isModified(const QString &path) const
{
    const Document *document = find(path);
    return document && document->modified;
}

QStringList DocumentStore::modifiedPaths() const
{
    QStringList paths;
    for (const auto &[path, document] : m_documents) {
        if (document->modified)
            paths.append(path);
    }
    return paths;
}

Result<void> DocumentStore::save(const QString &path, SaveMode mode)
{
    const QString key = documentPath(path);
    Document *document = find(key);
    if (!document)
        return failure(QStringLiteral("Cannot save %1: it is not open.").arg(shown(key)));

    if (mode == SaveMode::IfUnchangedOnDisk && diskHash(key) != document->knownHash) {
        if (!QFileInfo::exists(key))
            return failure(QStringLiteral("Not saved: %1 was deleted by another program since Loom read it. "
                                          "Overwrite to create it again.")
                               .arg(shown(key)));
        return failure(QStringLiteral("Not saved: %1 was changed by another program since Loom read or saved it. "
                                      "Reload it, or overwrite those changes.")
                           .arg(shown(key)));
    }

    QsciScintilla &view = viewOf(*document);
    const auto release = qScopeGuard([this] { releaseScratch(); });
    const QByteArray bytes = view.text().toUtf8();
    QSaveFile file(key);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("Cannot save %1: %2.").arg(shown(key), file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return failure(QStringLiteral("Cannot save %1: %2.").arg(shown(key), file.errorString()));

    document->knownHash = hashOf(bytes);
    document->lastSeenHash = document->knownHash;
    view.setModified(false); // the document's save point, for every editor
    setModified(key, false);
    watch(key); // the rename replaced the watched file
    return {};
}

Result<void> DocumentStore::saveAll()
{
    QStringList errors;
    for (const QString &path : modifiedPaths()) {
        if (auto saved = save(path); !saved)
            errors.append(saved.error());
    }
    if (!errors.isEmpty())
        return failure(errors.join(u'\n'));
    return {};
}

Result<void> DocumentStore::reload(const QString &path)
{
    const QString key = documentPath(path);
    Document *document = find(key);
    if (!document)
        return failure(QStringLiteral("Cannot reload %1: it is not open.").arg(shown(key)));
    auto loaded = load(key);
    if (!loaded)
        return failure(loaded.error());

    struct Place
    {
        CodeEditor *editor;
        int line;
        int column;
        int firstVisibleLine;
    };
    QList<Place> places;
    const auto editors = this->editors(key);
    for (CodeEditor *editor : editors) {
        const auto position = static_cast<unsigned long>(editor->SendScintilla(QsciScintillaBase::SCI_GETCURRENTPOS));
        const auto line = static_cast<int>(editor->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, position));
        const auto column = static_cast<int>(editor->SendScintilla(QsciScintillaBase::SCI_GETCOLUMN, position));
        places.append({editor, line, column, editor->firstVisibleLine()});
    }

    document->replacing = true;
    document->eolMode = eolModeOf(loaded->bytes);
    {
        QsciScintilla &view = viewOf(*document);
        const auto release = qScopeGuard([this] { releaseScratch(); });
        view.setEolMode(document->eolMode);
        view.setText(loaded->text);
        view.setModified(false);
    }
    document->replacing = false;

    for (const Place &place : places) {
        const int line = std::min(place.line, place.editor->lines() - 1);
        const long position = place.editor->SendScintilla(QsciScintillaBase::SCI_FINDCOLUMN,
                                                          static_cast<unsigned long>(line), place.column);
        place.editor->SendScintilla(QsciScintillaBase::SCI_GOTOPOS, static_cast<unsigned long>(position));
        place.editor->setFirstVisibleLine(place.firstVisibleLine);
    }
    document->knownHash = hashOf(loaded->bytes);
    document->lastSeenHash = document->knownHash;
    setModified(key, false);
    watch(key);
    return {};
}

void DocumentStore::close(const QString &path)
{
    const auto it = m_documents.find(documentPath(path));
    if (it == m_documents.end())
        return;
    const QString key = it->first;
    const auto editors = this->editors(key);
    m_documents.erase(it);
    for (CodeEditor *editor : editors) {
        disconnect(editor, nullptr, this, nullptr);
        editor->deleteLater();
    }
    if (m_watcher.files().contains(key))
        m_watcher.removePath(key);
    const QString folder = QFileInfo(key).absolutePath();
    const bool folderInUse = std::ranges::any_of(
        m_documents, [&folder](const auto &entry) { return QFileInfo(entry.first).absolutePath() == folder; });
    if (!folderInUse && m_watcher.directories().contains(folder))
        m_watcher.removePath(folder);
}

DocumentStore::Document *DocumentStore::find(const QString &path) const
{
    const auto it = m_documents.find(documentPath(path));
    return it == m_documents.end() ? nullptr : it->second.get();
}

void DocumentStore::attach(const QString &path, Document &document, CodeEditor *editor)
{
    // SCI_SETDOCPOINTER gives the document the view's end-of-line mode (QsciDocument::display).
    editor->setEolMode(document.eolMode);
    editor->setLanguageForPath(path);
    document.editors.removeIf([](const QPointer<CodeEditor> &gone) { return gone.isNull(); });
    document.editors.append(editor);
    // Scintilla tells every view of a document when it leaves or reaches its save point, so all
    // editors of a path report the same state; setModified() passes on the first of them.
    connect(editor, &QsciScintilla::modificationChanged, this,
            [this, path](bool modified) { setModified(path, modified); });
    connect(editor, &QsciScintilla::textChanged, this, [this, path] { Q_EMIT textChanged(path); });
}

QString DocumentStore::text(const QString &path) const
{
    Document *document = find(path);
    if (!document)
        return {};
    for (const QPointer<CodeEditor> &editor : document->editors) {
        if (editor)
            return editor->text();
    }
    return {};
}

void DocumentStore::setModified(const QString &path, bool modified)
{
    const auto it = m_documents.find(path);
    if (it == m_documents.end() || it->second->replacing || it->second->modified == modified)
        return;
    it->second->modified = modified;
    Q_EMIT modificationChanged(path, modified);
}

void DocumentStore::watch(const QString &path)
{
    if (m_watcher.files().contains(path))
        m_watcher.removePath(path);
    if (QFileInfo::exists(path) && !m_watcher.addPath(path))
        qCWarning(lcDocumentStore) << "cannot watch" << path << "- changes by other programs go unnoticed";
    const QString folder = QFileInfo(path).absolutePath();
    if (!m_watcher.directories().contains(folder))
        m_watcher.addPath(folder);
}

QsciScintilla &DocumentStore::viewOf(Document &document)
{
    for (const auto &editor : std::as_const(document.editors)) {
        if (editor)
            return *editor;
    }
    m_scratch->setDocument(document.text);
    m_scratch->setEolMode(document.eolMode); // SCI_SETDOCPOINTER gave it the scratch view's
    return *m_scratch;
}

void DocumentStore::releaseScratch()
{
    m_scratch->setDocument(QsciDocument()); // a fresh empty one, so closed documents can go
}

void DocumentStore::checkPending()
{
    const QSet<QString> paths = std::exchange(m_pending, {});
    for (const QString &path : paths) {
        Document *document = find(path);
        if (!document)
            continue;
        if (!m_watcher.files().contains(path) && QFileInfo::exists(path))
            m_watcher.addPath(path);
        const QByteArray seen = diskHash(path).value_or(QByteArray());
        if (seen == document->lastSeenHash)
            continue;
        document->lastSeenHash = seen;
        if (seen != document->knownHash) {
            qCDebug(lcDocumentStore) << path << "changed on disk";
            Q_EMIT changedOnDisk(path);
        }
    }
}

} // namespace Loom::Ui
