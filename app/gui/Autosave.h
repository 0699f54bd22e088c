#pragma once
// Autosave and crash recovery: while a project has unsaved changes, a copy is written to a private
// folder every so often; saving or discarding removes it. A copy still there at start-up means the
// last session ended without saving, and is offered for recovery.
#include "graph/Project.h"
#include <QDateTime>
#include <QString>
#include <filesystem>
#include <vector>

namespace nesy::gui {

class Autosave {
public:
    explicit Autosave(std::filesystem::path folder);

    struct Recovery {
        std::filesystem::path copy;     // the autosaved project
        std::filesystem::path original; // where it belongs (empty: never saved)
        QDateTime savedAt;
    };

    // Writes the copy for `original` (atomically, so a crash while autosaving loses nothing).
    void save(const Project& project, const std::filesystem::path& original) const;
    void discard(const std::filesystem::path& original) const;
    void discardCopy(const Recovery& r) const;
    std::vector<Recovery> pending() const;
    const std::filesystem::path& folder() const { return folder_; }

    // The default folder: <app data>/autosave.
    static std::filesystem::path defaultFolder();

private:
    std::filesystem::path copyFor(const std::filesystem::path& original) const;
    std::filesystem::path folder_;
};

} // namespace nesy::gui
