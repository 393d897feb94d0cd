#include "runtime/project/projectcheck.h"

#include "runtime/project/project.h"
#include "runtime/project/projectscan.h"
#include "runtime/project/samples.h"
#include "runtime/python/pythonengine.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace Loom::Runtime {

using namespace Qt::StringLiterals;
using Json = nlohmann::json;

namespace {
constexpr qint64 MaxSourceBytes = 512 * 1024; // a bigger .py file is not a PyScript source
constexpr int MaxSourceFiles = 200;

const QString HtmlFile = Project::entryPageName();

class SourceFiles
{
public:
    explicit SourceFiles(const CheckInput &input)
        : m_dir(input.projectDir)
        , m_unsaved(input.unsaved)
    {}

    // The editor's text when it has unsaved changes, else the file's.
    std::optional<QString> read(const QString &relative) const
    {
        if (const auto it = m_unsaved.constFind(relative); it != m_unsaved.cend())
            return it.value();
        QFile file(m_dir.filePath(relative));
        if (!file.open(QIODevice::ReadOnly) || file.size() > MaxSourceBytes)
            return std::nullopt;
        return QString::fromUtf8(file.readAll());
    }

    Json pythonFiles() const
    {
        Json files = Json::object();
        QDirIterator it(m_dir.path(), {u"*.py"_s}, QDir::Files, QDirIterator::Subdirectories);
        int count = 0;
        while (it.hasNext() && count < MaxSourceFiles) {
            const QString relative = m_dir.relativeFilePath(it.next());
            if (Project::isHidden(relative) || relative.startsWith(u"node_modules/"_s))
                continue;
            if (const auto text = read(relative)) {
                files[relative.toStdString()] = text->toStdString();
                ++count;
            }
        }
        for (auto it = m_unsaved.cbegin(); it != m_unsaved.cend(); ++it) {
            if (it.key().endsWith(u".py"_s))
                files[it.key().toStdString()] = it.value().toStdString();
        }
        return files;
    }

private:
    QDir m_dir;
    QHash<QString, QString> m_unsaved;
};

// nlohmann's parse error as a diagnostic at its place; the text starts at (firstLine, firstColumn).
Diagnostic jsonError(const Json::parse_error &error, const QByteArray &text, const QString &file, int firstLine,
                     int firstColumn)
{
    const TextPosition at = parseErrorPosition(text, error.byte);
    QString what = QString::fromUtf8(error.what());
    what = what.mid(std::max<qsizetype>(0, what.indexOf(u"syntax error"_s)));
    return {file,
            firstLine + at.line - 1,
            at.column + (at.line == 1 ? firstColumn : 0),
            Diagnostic::Severity::Error,
            u"config-syntax"_s,
            u"The config is not valid JSON: %1. Check the quotes and commas around that place."_s.arg(what)};
}

Json configOf(const PageScript &script, const SourceFiles &project, QList<Diagnostic> &found)
{
    const QString written = script.config.trimmed();
    if (written.isEmpty())
        return nullptr;
    Json config = {{"file", HtmlFile.toStdString()},
                   {"line", script.configLine > 0 ? script.configLine : script.tagLine},
                   {"column", script.configColumn},
                   {"format", "json"},
                   {"parsed", true}};
    QString text = written;
    if (!written.startsWith(u'{')) {
        const QString path = Project::resolveWritten(written);
        const auto content = path.isEmpty() ? std::nullopt : project.read(path);
        if (!content) {
            found.append({HtmlFile, script.tagLine, 0, Diagnostic::Severity::Error, u"config-missing"_s,
                          u"The config file \"%1\" is not in the project, so PyScript cannot start this script. "
                          "Create it or fix the path (it is relative to the page)."_s.arg(written)});
            return nullptr;
        }
        text = *content;
        config["file"] = path.toStdString();
        config["line"] = 1;
        config["column"] = 0;
        config["format"] = path.endsWith(u".toml"_s, Qt::CaseInsensitive) ? "toml" : "json";
    }
    config["text"] = text.toStdString();
    if (config["format"] == "json") {
        const QByteArray bytes = text.toUtf8();
        try {
            if (!Json::parse(bytes.toStdString()).is_object()) {
                found.append({QString::fromStdString(config["file"].get<std::string>()), config["line"].get<int>(), 0,
                              Diagnostic::Severity::Error, u"config-type"_s,
                              u"A config is a JSON object: {\"packages\": [...], \"files\": {...}}."_s});
                config["parsed"] = false;
            }
        } catch (const Json::parse_error &error) {
            found.append(jsonError(error, bytes, QString::fromStdString(config["file"].get<std::string>()),
                                   config["line"].get<int>(), config["column"].get<int>()));
            config["parsed"] = false;
        }
    }
    return config;
}
} // namespace

QString Diagnostic::toString() const
{
    return u"%1:%2:%3: %4: %5 [%6]"_s.arg(file).arg(line).arg(column).arg(severityName(), message, code);
}

CheckRequest prepareCheck(const CheckInput &input)
{
    CheckRequest request;
    const SourceFiles project(input);
    const auto html = project.read(HtmlFile);
    Json scripts = Json::array();
    if (!html) {
        request.found.append({HtmlFile, 1, 0, Diagnostic::Severity::Error, u"no-page"_s,
                              u"The project has no index.html, so there is no page to run."_s});
    } else {
        for (const PageScript &script : scanPageScripts(html->toUtf8())) {
            Json entry = {{"type", script.type.toStdString()},
                          {"worker", script.worker},
                          {"name", script.name.toStdString()},
                          {"tagLine", script.tagLine}};
            if (script.src.isEmpty()) {
                entry.update({{"file", HtmlFile.toStdString()},
                              {"inline", true},
                              {"code", script.code.toStdString()},
                              {"firstLine", script.codeLine},
                              {"firstColumn", script.codeColumn}});
            } else {
                const QString path = Project::resolveWritten(script.src);
                const auto code = path.isEmpty() ? std::nullopt : project.read(path);
                if (!code) {
                    if (!path.isEmpty()) {
                        request.found.append(
                            {HtmlFile, script.tagLine, 0, Diagnostic::Severity::Error, u"src-missing"_s,
                             u"The script's src \"%1\" is not in the project, so this %2 never runs."_s.arg(
                                 script.src, script.worker ? u"worker"_s : u"script"_s)});
                    }
                    continue;
                }
                entry.update({{"file", path.toStdString()},
                              {"inline", false},
                              {"code", code->toStdString()},
                              {"firstLine", 1},
                              {"firstColumn", 0}});
            }
            entry["config"] = configOf(script, project, request.found);
            scripts.push_back(std::move(entry));
        }
    }
    // A sample that says it needs the network is checked as it will run: with it.
    bool offline = input.offline;
    if (const auto manifest = project.read(u"sample.json"_s); offline && manifest) {
        if (const auto sample = parseSampleManifest(manifest->toUtf8()))
            offline = !sample->needsNetwork;
    }
    Json json = {{"offline", offline}, {"scripts", scripts}, {"files", project.pythonFiles()}};
    if (input.packagesReady) {
        Json ready = Json::array();
        for (const QString &name : *input.packagesReady)
            ready.push_back(name.toStdString());
        json["packages_ready"] = std::move(ready);
    }
    request.json = QByteArray::fromStdString(json.dump());
    return request;
}

QList<Diagnostic> parseDiagnostics(const QByteArray &json)
{
    QList<Diagnostic> diagnostics;
    const Json reply = Json::parse(json.toStdString(), nullptr, false);
    if (!reply.is_array())
        return diagnostics;
    for (const Json &entry : reply) {
        if (!entry.is_object())
            continue;
        const auto text = [&entry](const char *key) {
            const auto it = entry.find(key);
            return it != entry.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
        };
        const auto number = [&entry](const char *key) {
            const auto it = entry.find(key);
            return it != entry.end() && it->is_number_integer()
                       ? int(std::clamp<long long>(it->get<long long>(), 0, 1'000'000))
                       : 0;
        };
        Diagnostic diagnostic{
            text("file"),
            number("line"),
            number("column"),
            text("severity") == u"warning" ? Diagnostic::Severity::Warning : Diagnostic::Severity::Error,
            text("code"),
            text("message")};
        if (diagnostic.file.isEmpty() || diagnostic.line <= 0 || diagnostic.message.isEmpty())
            continue;
        diagnostics.append(diagnostic);
    }
    return diagnostics;
}

void sortDiagnostics(QList<Diagnostic> &diagnostics)
{
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic &a, const Diagnostic &b) {
        return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
}

Result<QList<Diagnostic>> checkProject(const CheckInput &input)
{
    CheckRequest request = prepareCheck(input);
    auto reply = PythonEngine::instance().callAndWait(u"loom_analysis"_s, u"check_project"_s, request.json);
    if (!reply)
        return failure(reply.error());
    QList<Diagnostic> diagnostics = request.found + parseDiagnostics(*reply);
    sortDiagnostics(diagnostics);
    return diagnostics;
}

} // namespace Loom::Runtime
