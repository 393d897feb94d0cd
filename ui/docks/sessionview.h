#pragma once

namespace Loom::Runtime {
class PageSession;
}

namespace Loom::Ui {

// A dock that shows a run's models. MainWindow hands every such dock the PageSession of each new
// run (nullptr: none); the previous session is deleted right after.
class SessionView
{
public:
    virtual ~SessionView() = default;
    virtual void setSession(Runtime::PageSession *session) = 0;
};

} // namespace Loom::Ui
