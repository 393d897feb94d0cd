#pragma once

#include "runtime/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QThread;

namespace Loom::Runtime {

// The process's one embedded CPython (pybind11), for the analysis that needs Python: checks
// and completion. It lives on a thread of its own, started on first use: every call runs there,
// one at a time, so neither the UI thread nor a server thread ever waits on Python. The calls
// cross as JSON text: one string in, one string out (resources/python/*.py).
class PythonEngine final : public QObject
{
    Q_OBJECT

public:
    // Created on first use; shut down with the application.
    static PythonEngine &instance();
    ~PythonEngine() override;
    Q_DISABLE_COPY_MOVE(PythonEngine)

    // $LOOM_PYTHON_DIR, else <exe>/../share/loom/python: Loom's own modules and stubs.
    static QString modulesDir();

    using Reply = std::function<void(Result<QByteArray>)>;
    // Calls module.function(argument) on the engine's thread; `done` runs on the main thread,
    // where `context` lives, and not at all if `context` is gone by then.
    void call(const QString &module, const QString &function, const QByteArray &argument, QObject *context, Reply done);
    // The same, waiting for the answer: from any thread but the engine's.
    Result<QByteArray> callAndWait(const QString &module, const QString &function, const QByteArray &argument);

private:
    PythonEngine();
    class Interpreter;
    std::unique_ptr<QThread> m_thread;
    QObject *m_worker = nullptr;                // lives on m_thread; calls are queued to it
    std::shared_ptr<Interpreter> m_interpreter; // used on m_thread only
};

} // namespace Loom::Runtime
