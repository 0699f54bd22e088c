#include "Autosave.h"
#include <QCryptographicHash>
#include <QFileInfo>
#include <QStandardPaths>

namespace nesy::gui {

namespace {
constexpr const char* kOriginSuffix = ".origin"; // beside each copy: the path it belongs to
}

Autosave::Autosave(std::filesystem::path folder) : folder_(std::move(folder)) {}

std::filesystem::path Autosave::defaultFolder()
{
    return std::filesystem::path(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation).toStdString()) /
           "autosave";
}

std::filesystem::path Autosave::copyFor(const std::filesystem::path& original) const
{
    const QByteArray key = original.empty() ? QByteArray("untitled")
                                            : QCryptographicHash::hash(QByteArray::fromStdString(
                                                                           std::filesystem::absolute(original).string()),
                                                                       QCryptographicHash::Sha1)
                                                  .toHex()
                                                  .left(16);
    return folder_ / (key.toStdString() + ".nesy.json");
}

void Autosave::save(const Project& project, const std::filesystem::path& original) const
{
    std::filesystem::create_directories(folder_);
    const auto copy = copyFor(original);
    writeTextFileAtomically(copy, projectToText(project));
    writeTextFileAtomically(copy.string() + kOriginSuffix,
                            original.empty() ? std::string() : std::filesystem::absolute(original).string());
}

void Autosave::discard(const std::filesystem::path& original) const
{
    const auto copy = copyFor(original);
    std::error_code ec;
    std::filesystem::remove(copy, ec);
    std::filesystem::remove(copy.string() + kOriginSuffix, ec);
}

void Autosave::discardCopy(const Recovery& r) const
{
    std::error_code ec;
    std::filesystem::remove(r.copy, ec);
    std::filesystem::remove(r.copy.string() + kOriginSuffix, ec);
}

std::vector<Autosave::Recovery> Autosave::pending() const
{
    std::vector<Recovery> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder_, ec)) {
        const auto& path = entry.path();
        if (path.string().size() < 10 || !path.string().ends_with(".nesy.json"))
            continue;
        std::filesystem::path original;
        try {
            original = readTextFile(path.string() + kOriginSuffix);
        } catch (const std::exception&) {
            // No origin file: treat it as an unsaved new project.
        }
        out.push_back({path, original, QFileInfo(QString::fromStdString(path.string())).lastModified()});
    }
    return out;
}

} // namespace nesy::gui
