#include "runtime/python/pythonengine.h"

// pybind11 before Qt's keywords: Python.h uses `slots`.
#include <pybind11/embed.h>

#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QPointer>
#include <QSemaphore>
#include <QThread>

#include <optional>

Q_LOGGING_CATEGORY(lcPython, "loom.runtime.python", QtWarningMsg)

namespace py = pybind11;

namespace Loom::Runtime {

// The interpreter, started lazily on the engine's thread and finished there. The GIL is released
// once start-up is done and taken by a scoped guard around each call.
class PythonEngine::Interpreter
{
public:
    ~Interpreter()
    {
        if (!m_started)
            return;
        PyEval_RestoreThread(m_saved); // take the GIL back to finalise
        py::finalize_interpreter();
    }

    Result<QByteArray> call(const QString &module, const QString &function, const QByteArray &argument)
    {
        if (auto started = start(); !started)
            return failure(started.error());
        py::gil_scoped_acquire gil;
        try {
            py::object result = py::module_::import(module.toUtf8().constData())
                                    .attr(function.toUtf8().constData())(
                                        py::str(argument.constData(), size_t(argument.size())));
            return QByteArray::fromStdString(result.cast<std::string>());
        } catch (const py::error_already_set &error) {
            // A Python exception: its text and traceback, as an error value.
            return failure(
                QStringLiteral("Python: %1.%2 failed: %3").arg(module, function, QString::fromUtf8(error.what())));
        } catch (const py::cast_error &error) {
            return failure(QStringLiteral("Python: %1.%2 did not return text: %3")
                               .arg(module, function, QString::fromUtf8(error.what())));
        }
    }

private:
    Result<> start()
    {
        if (m_started)
            return m_startError.isEmpty() ? Result<>() : Result<>(failure(m_startError));
        m_started = true;
        try {
            py::initialize_interpreter(false); // no signal handlers: Loom owns SIGINT
            py::module_ sys = py::module_::import("sys");
            sys.attr("path").attr("insert")(0, QDir::toNativeSeparators(modulesDir()).toStdString());
            // The modules may sit in the source tree (the build links to it): no __pycache__ there.
            sys.attr("dont_write_bytecode") = true;
        } catch (const std::exception &error) {
            m_startError = QStringLiteral("The embedded Python did not start: %1").arg(QString::fromUtf8(error.what()));
        }
        m_saved = PyEval_SaveThread(); // the GIL is taken per call from now on
        qCDebug(lcPython) << "interpreter started" << modulesDir() << m_startError;
        return m_startError.isEmpty() ? Result<>() : Result<>(failure(m_startError));
    }

    bool m_started = false;
    QString m_startError;
    PyThreadState *m_saved = nullptr;
};

PythonEngine &PythonEngine::instance()
{
    static PythonEngine *engine = [] {
        auto *created = new PythonEngine;
        // With the application: the thread ends and the interpreter is finalised on it.
        qAddPostRoutine([] { delete &PythonEngine::instance(); });
        return created;
    }();
    return *engine;
}

PythonEngine::PythonEngine()
    : m_thread(std::make_unique<QThread>())
    , m_worker(new QObject)
    , m_interpreter(std::make_shared<Interpreter>())
{
    m_thread->setObjectName(QStringLiteral("loom-python"));
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
}

PythonEngine::~PythonEngine()
{
    // The interpreter is finalised on the thread that started it.
    QMetaObject::invokeMethod(
        m_worker, [interpreter = std::move(m_interpreter)]() mutable { interpreter.reset(); },
        Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { delete worker; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

QString PythonEngine::modulesDir()
{
    const QString fromEnv = qEnvironmentVariable("LOOM_PYTHON_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../share/loom/python"));
}

void PythonEngine::call(const QString &module, const QString &function, const QByteArray &argument, QObject *context,
                        Reply done)
{
    QMetaObject::invokeMethod(m_worker, [interpreter = m_interpreter, module, function, argument,
                                         context = QPointer<QObject>(context), done = std::move(done)] {
        Result<QByteArray> result = interpreter->call(module, function, argument);
        // Through the application object: `context` may be deleted meanwhile, and a QPointer is
        // only safe to read on the thread that deletes it.
        QMetaObject::invokeMethod(qApp, [context, done, result = std::move(result)] {
            if (context)
                done(result);
        });
    });
}

Result<QByteArray> PythonEngine::callAndWait(const QString &module, const QString &function, const QByteArray &argument)
{
    Q_ASSERT(QThread::currentThread() != m_thread.get());
    std::optional<Result<QByteArray>> result;
    QSemaphore answered;
    QMetaObject::invokeMethod(m_worker, [interpreter = m_interpreter, module, function, argument, &result, &answered] {
        result = interpreter->call(module, function, argument);
        answered.release();
    });
    answered.acquire();
    return *result;
}

} // namespace Loom::Runtime
