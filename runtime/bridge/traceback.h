#pragma once

#include <QList>
#include <QString>

namespace Loom::Runtime {

struct PageScript;

// A place in the user's project: a file relative to the project root and a 1-based line.
struct SourceLocation
{
    QString file;
    int line = 0;
    QString function;
    bool isValid() const { return !file.isEmpty() && line > 0; }
};

// The user's frames of a Python traceback, mapped to files. PyScript names user code "<exec>"
// (Pyodide) or "<stdin>" (MicroPython); frames of PyScript's own modules are left out.
// For a src= script the line is the file's line; for inline code it is the line inside the HTML:
// the <script> tag's line + N, because polyscript drops the code's leading newline
// (polyscript esm/utils.js dropLine0).
QList<SourceLocation> mapTraceback(const QString &traceback, const PageScript &script, const QString &htmlFile);

// The exception line of a traceback ("ValueError: boom"): the last line that names an exception
// type, else the last non-empty line. Pyodide appends advice after the exception line.
QString errorSummary(const QString &traceback);

// Whether an error text is Python's: a traceback as PyScript prints it, or Pyodide's PythonError
// (thrown into JavaScript, "Uncaught PythonError: ..." when nothing catches it). Anything else in
// the page's error stream is JavaScript's. The one test of it, for the console, the run's
// outcome and the workers' states.
bool isPythonError(QStringView text);

// Whether a text is a Python error nothing caught: a PythonError, or a whole traceback in one
// text, as PyScript reports such an error. A traceback the program prints itself
// (traceback.print_exc(), logging.exception) reaches the console a line at a time, since Pyodide
// writes stderr by lines: its first line alone is not an error of the page. For the run's outcome
// and a starting worker's failure.
bool isUncaughtPythonError(QStringView text);

// Where an error was seen: during a call (a name the worker does not export can be the cause) or
// while a worker started (it cannot).
enum class ErrorContext { Call, Startup };

// One sentence in plain words for the errors PyScript users trip over, or an empty string.
QString explainError(const QString &error, const QStringList &exports = {}, ErrorContext context = ErrorContext::Call);

} // namespace Loom::Runtime
