#include "Resources.h"
#include <cstdlib>
#include <unistd.h>

namespace nesy {

namespace {
std::filesystem::path executableDir()
{
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
}
} // namespace

std::filesystem::path resourceDir()
{
    if (const char* env = std::getenv("NESY_RESOURCES"); env && *env)
        return env;
    auto installed = executableDir() / ".." / "share" / "nesy-workbench";
    if (std::filesystem::exists(installed / "boards"))
        return installed.lexically_normal();
    return NESY_SOURCE_RESOURCES;
}

std::filesystem::path boardProfileDir() { return resourceDir() / "boards"; }
std::filesystem::path exampleDir() { return resourceDir() / "examples"; }

} // namespace nesy
