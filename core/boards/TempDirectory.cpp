#include "TempDirectory.h"
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace nesy {

TempDirectory::TempDirectory(const std::string& stem)
{
    std::string pattern = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!::mkdtemp(buffer.data()))
        throw std::runtime_error("cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    path_ = buffer.data();
}

TempDirectory::~TempDirectory()
{
    if (keep_)
        return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

} // namespace nesy
