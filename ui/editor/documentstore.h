#pragma once

#include "runtime/result.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <map>
#include <memory>

class QWidget;
class QsciScintilla;

namespace Loom::Ui {

class CodeEditor;

enum class SaveMode {
    IfUnchangedOnDisk, // refuse when another program changed the file since Loom read or wrote it
    Overwrite,
};

// The open files of one project. Each file is one shared document however many editors show it
// (index.html's inline scripts in several tabs all edit one text). A document lives until
// close(), even when its editors are gone. Files are read and written as UTF-8.
//
// Paths may be given in any form; the store names a file by documentPath(), also in its signals.
class DocumentStore final : public QObject
{
    Q_OBJECT

public:
    explicit DocumentStore(QObject *parent = nullptr);
    ~DocumentStore() override;
    Q_DISABLE_COPY_MOVE(DocumentStore)

    // Absolute, with symbolic links resolved while the file exists.
    static QString documentPath(const QString &path);

    // Reads the file the first time; later calls return another editor of the same document.
    // The editor belongs to parent.
    Runtime::Result<CodeEditor *> openEditor(const QString &path, QWidget *parent);
    QList<CodeEditor *> editors(const QString &path) const;
    QStringList openPaths() const;

    bool isModified(const QString &path) const;
    // The text as the editors hold it; empty when the file is not open.
    QString text(const QString &path) const;
    QStringList modifiedPaths() const;

    // Writes atomically (QSaveFile).
    Runtime::Result<void> save(const QString &path, SaveMode mode = SaveMode::IfUnchangedOnDisk);
    // Saves every modified file; the failure lists each file that could not be saved.
    Runtime::Result<void> saveAll();
    // Replaces the text with the file's; every editor keeps its cursor line. Clears undo.
    Runtime::Result<void> reload(const QString &path);
    // Forgets the document, unsaved changes included, and deletes its editors (deleteLater).
    void close(const QString &path);

Q_SIGNALS:
    // The file on disk no longer holds what Loom last read or wrote (deleted included).
    // Once per new disk content; never for Loom's own saves.
    void changedOnDisk(const QString &path);
    void modificationChanged(const QString &path, bool modified);
    // The text of a document changed (typed, pasted, reloaded); once per edit and view.
    void textChanged(const QString &path);

private:
    struct Document;

    Document *find(const QString &path) const;
    void attach(const QString &path, Document &document, CodeEditor *editor);
    void setModified(const QString &path, bool modified);
    void watch(const QString &path);
    void checkPending();
    QsciScintilla &viewOf(Document &document);
    void releaseScratch();

    // A hidden view: it reads and writes documents whose editors are all closed, and it outlives
    // them, because a QsciDocument shown by no view releases its text through any live view
    // (QsciScintillaBase::pool(), which crashes when there is none).
    std::unique_ptr<QsciScintilla> m_scratch;
    std::map<QString, std::unique_ptr<Document>> m_documents;
    QFileSystemWatcher m_watcher;
    // Watcher events are collected for a moment: a program writing a file in steps (truncate,
    // write) is seen once, with its final content.
    QTimer m_settle;
    QSet<QString> m_pending;
};

} // namespace Loom::Ui
