#pragma once
// A fresh private directory that is removed with everything in it when the object goes away.
#include <filesystem>

namespace nesy {

class TempDirectory {
public:
    explicit TempDirectory(const std::string& stem); // throws std::runtime_error
    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;
    ~TempDirectory();

    const std::filesystem::path& path() const { return path_; }
    void keep() { keep_ = true; } // leave it on disk (for debugging a firmware build)

private:
    std::filesystem::path path_;
    bool keep_ = false;
};

} // namespace nesy
