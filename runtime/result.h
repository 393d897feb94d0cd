#pragma once

#include <QString>

#include <expected>

namespace Loom::Runtime {

// Recoverable failures carry a message for the user, in plain words.
template<typename T = void>
using Result = std::expected<T, QString>;

inline std::unexpected<QString> failure(QString message)
{
    return std::unexpected<QString>(std::move(message));
}

} // namespace Loom::Runtime
