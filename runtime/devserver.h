#pragma once

#include "result.h"
#include "runtimefiles.h"

#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace Loom::Runtime {

struct DevServerOptions
{
    QString projectRoot;
    RuntimeFiles runtime;
    quint16 port = 0; // 0: any free port
    // COOP/COEP/CORP/ACAO on every response. Off only to reproduce a host without header control.
    bool isolationHeaders = true;
    // Markup inserted before the page's PyScript core script (the page bridge); empty for none.
    QString injectBefore;
};

// Loom's loopback HTTP server: the project folder, the offline runtime under
// /__loom__/runtime/<package>-<version>/, and HTML rewritten on the fly to use that runtime.
// Requests are served on cpp-httplib's own thread pool, never on the caller's thread.
class DevServer final
{
public:
    explicit DevServer(DevServerOptions options);
    ~DevServer();
    Q_DISABLE_COPY_MOVE(DevServer)

    // Binds 127.0.0.1 and starts serving; fails with a message when the port is taken or the
    // project folder is unusable.
    Result<> start();
    // Stops accepting, closes idle connections, joins the threads. Bounded by the keep-alive
    // timeout (about two seconds).
    void stop();

    bool isListening() const;
    quint16 port() const;
    QUrl baseUrl() const;

    // Called from server threads with things the user should know about a served page
    // (for example "the page asks for PyScript 2024.1.1"). Set before start().
    void setNoteHandler(std::function<void(const QString &)> handler);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Loom::Runtime
