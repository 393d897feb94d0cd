#include "runtime/project/projectpath.h"

#include "runtime/project/project.h"

#include <algorithm>
#include <system_error>

namespace Loom::Runtime {

namespace fs = std::filesystem;

namespace {
std::unexpected<PathError> refuse(int status, const char *reason)
{
    return std::unexpected(PathError{status, QString::fromUtf8(reason)});
}

bool isInside(const fs::path &root, const fs::path &candidate)
{
    const auto [rootEnd, _] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
    return rootEnd == root.end();
}
} // namespace

std::expected<fs::path, PathError> resolveProjectPath(const fs::path &canonicalRoot, std::string_view urlPath)
{
    if (urlPath.empty() || urlPath.front() != '/')
        return refuse(400, "the path must start with /");
    if (urlPath.find('\0') != std::string_view::npos)
        return refuse(400, "the path contains a NUL byte");
    if (urlPath.find('\\') != std::string_view::npos)
        return refuse(400, "the path contains a backslash");

    fs::path relative;
    size_t start = 1;
    while (start <= urlPath.size()) {
        size_t end = urlPath.find('/', start);
        if (end == std::string_view::npos)
            end = urlPath.size();
        const std::string_view segment = urlPath.substr(start, end - start);
        start = end + 1;
        if (segment.empty() || segment == ".")
            continue;
        if (segment == "..")
            return refuse(403, "the path leaves the project folder");
        if (Project::isHiddenName(segment))
            return refuse(403, "hidden files are not served");
        relative /= fs::path(segment);
    }

    std::error_code error;
    fs::path resolved = fs::canonical(canonicalRoot / relative, error);
    if (error)
        return refuse(404, "no such file in the project");
    if (!isInside(canonicalRoot, resolved))
        return refuse(403, "the path leads out of the project folder through a link");
    if (fs::is_directory(resolved, error)) {
        resolved = fs::canonical(resolved / Project::EntryPage, error);
        if (error || !isInside(canonicalRoot, resolved))
            return refuse(404, "the folder has no index.html");
    }
    if (!fs::is_regular_file(resolved, error))
        return refuse(404, "not a regular file");
    return resolved;
}

} // namespace Loom::Runtime
