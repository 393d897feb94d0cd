#include "pythoncompleter.h"

#include "codeeditor.h"

#include "runtime/python/pythonengine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>

namespace Loom::Ui {

using namespace Qt::StringLiterals;

PythonCompleter::PythonCompleter(CodeEditor *editor, const QString &projectDir, const QString &path)
    : QObject(editor)
    , m_editor(editor)
    , m_projectDir(projectDir)
    , m_path(path)
{
    // Ctrl+Space is taken from the editor's own key handling: QScintilla has its own binding.
    editor->installEventFilter(this);
    connect(editor, &QsciScintillaBase::SCN_CHARADDED, this, [this](int added) {
        if (added == '.')
            complete();
        else if (added == '(' || added == ',')
            showCallTip();
    });
}

bool PythonCompleter::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Space && key->modifiers() == Qt::ControlModifier) {
            event->accept();
            if (event->type() == QEvent::KeyPress)
                complete();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

void PythonCompleter::complete()
{
    ask(Ask::Completions);
}

void PythonCompleter::showCallTip()
{
    ask(Ask::CallTip);
}

void PythonCompleter::ask(Ask what)
{
    int line = 0;
    int index = 0;
    m_editor->getCursorPosition(&line, &index);
    // Scintilla's index counts UTF-8 bytes; Jedi's column counts characters.
    const int column = int(QString::fromUtf8(m_editor->text(line).toUtf8().left(index)).size());
    const long position = m_editor->SendScintilla(QsciScintillaBase::SCI_GETCURRENTPOS);
    const QJsonObject request{{u"code"_s, m_editor->text()},
                              {u"line"_s, line + 1},
                              {u"column"_s, column},
                              {u"path"_s, m_projectDir.isEmpty() ? m_path : m_projectDir + u'/' + m_path},
                              {u"type"_s, u"py"_s},
                              {u"worker"_s, false},
                              {u"projectFiles"_s, QJsonObject()}};
    Runtime::PythonEngine::instance().call(
        u"loom_complete"_s, u"complete"_s, QJsonDocument(request).toJson(QJsonDocument::Compact), this,
        [this, what, position](const Runtime::Result<QByteArray> &reply) {
            // The user typed on: this answer is for a place the cursor has left.
            if (!reply || m_editor->SendScintilla(QsciScintillaBase::SCI_GETCURRENTPOS) != position) {
                Q_EMIT answered();
                return;
            }
            const QJsonObject answer = QJsonDocument::fromJson(*reply).object();
            if (what == Ask::Completions) {
                QStringList names;
                int typed = 0;
                for (const QJsonValue &item : answer.value(u"completions"_s).toArray()) {
                    const QJsonObject completion = item.toObject();
                    const QString name = completion.value(u"name"_s).toString();
                    if (name.isEmpty() || name.contains(u' '))
                        continue;
                    names.append(name);
                    typed = int(name.size() - completion.value(u"complete"_s).toString().size());
                }
                if (!names.isEmpty()) {
                    m_editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETSEPARATOR, static_cast<unsigned long>(' '));
                    m_editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETORDER, 1UL); // SC_ORDER_PERFORMSORT
                    m_editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSETIGNORECASE, 1UL);
                    m_editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSHOW,
                                            static_cast<unsigned long>(std::max(0, typed)),
                                            names.join(u' ').toUtf8().constData());
                }
            } else {
                const QJsonArray signatures = answer.value(u"signatures"_s).toArray();
                if (!signatures.isEmpty()) {
                    const QJsonObject signature = signatures.first().toObject();
                    QStringList params;
                    for (const QJsonValue &param : signature.value(u"params"_s).toArray())
                        params.append(param.toString());
                    const QString head = signature.value(u"name"_s).toString() + u'(';
                    const QString tip = head + params.join(u", "_s) + u')';
                    m_editor->SendScintilla(QsciScintillaBase::SCI_CALLTIPSHOW, static_cast<unsigned long>(position),
                                            tip.toUtf8().constData());
                    // Highlight the argument being typed.
                    const int current = signature.value(u"index"_s).toInt(-1);
                    if (current >= 0 && current < params.size()) {
                        const QString before = head + params.mid(0, current).join(u", "_s)
                                               + (current > 0 ? u", "_s : QString());
                        const long start = long(before.toUtf8().size());
                        m_editor->SendScintilla(QsciScintillaBase::SCI_CALLTIPSETHLT, static_cast<unsigned long>(start),
                                                static_cast<long>(start + params.at(current).toUtf8().size()));
                    }
                }
            }
            Q_EMIT answered();
        });
}

} // namespace Loom::Ui
