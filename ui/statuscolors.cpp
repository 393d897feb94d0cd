#include "ui/statuscolors.h"

namespace Loom::Ui::StatusColors {

using Runtime::Responsiveness;
using Runtime::WorkerState;

QColor good()
{
    return QColor(0x2e, 0xa0, 0x43);
}

QColor warning()
{
    return QColor(0xe0, 0x9b, 0x16);
}

QColor error()
{
    return QColor(0xd9, 0x53, 0x4f);
}

QColor starting()
{
    return QColor(0x3b, 0x82, 0xd6);
}

QColor inactive()
{
    return Qt::gray;
}

QColor forLevel(Responsiveness::Level level)
{
    switch (level) {
    case Responsiveness::Level::Green:
        return good();
    case Responsiveness::Level::Amber:
        return warning();
    case Responsiveness::Level::Red:
        return error();
    }
    return inactive();
}

QColor forWorker(WorkerState state)
{
    switch (state) {
    case WorkerState::Starting:
    case WorkerState::Loading:
        return starting();
    case WorkerState::Ready:
        return good();
    case WorkerState::Busy:
        return warning();
    case WorkerState::Failed:
        return error();
    case WorkerState::Stopped:
        return inactive();
    }
    return inactive();
}

} // namespace Loom::Ui::StatusColors
