#pragma once

#include <QString>

#include <expected>
#include <filesystem>
#include <string_view>

namespace Loom::Runtime {

struct PathError
{
    int httpStatus; // 400 malformed, 403 outside or hidden, 404 missing
    QString reason;
};

// Maps a decoded URL path ("/sub/page.html") to a regular file inside the project root.
// Never yields a path outside canonicalRoot: ".." segments, NUL bytes and backslashes are
// refused before touching the disk, and symlinks are resolved and checked after.
// Directories resolve to their index.html. Hidden names (".git") are not served.
std::expected<std::filesystem::path, PathError> resolveProjectPath(const std::filesystem::path &canonicalRoot,
                                                                   std::string_view decodedUrlPath);

} // namespace Loom::Runtime
