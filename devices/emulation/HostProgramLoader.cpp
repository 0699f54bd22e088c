#include "emulation/HostProgramLoader.h"
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace nesy {

const char* HostProgramLoader::load(const std::uint8_t* image, const nesy_image_info& info)
{
    unload();
    std::error_code noTempDir; // the firmware port reports problems as text, never by throwing
    const std::filesystem::path dir = std::filesystem::temp_directory_path(noTempDir);
    std::string path = ((noTempDir ? std::filesystem::path("/tmp") : dir) / "nesy-program-XXXXXX").string();
    int fd = ::mkstemp(path.data());
    if (fd < 0)
        return (problem_ = "cannot create a file for the program").c_str();
    const std::uint8_t* code = image + info.code_offset;
    std::size_t written = 0;
    while (written < info.code_bytes) {
        ssize_t n = ::write(fd, code + written, info.code_bytes - written);
        if (n <= 0)
            break;
        written += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (written == info.code_bytes)
        handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    const char* why = handle_ ? nullptr : ::dlerror();
    ::unlink(path.c_str()); // the mapping stays valid: nothing is left behind on disk
    if (!handle_) {
        problem_ = "the program does not load: ";
        problem_ += why ? why : "short write";
        return problem_.c_str();
    }
    entry_ = static_cast<const nesy_program_entry*>(::dlsym(handle_, "nesy_program_entry"));
    if (!entry_ || entry_->magic != NESY_PROGRAM_ENTRY_MAGIC || !entry_->run) {
        unload();
        return (problem_ = "the program has no entry table").c_str();
    }
    if (entry_->n_in != info.n_in || entry_->n_out != info.n_out) {
        unload();
        return (problem_ = "the entry table's input or output count differs from the header").c_str();
    }
    return nullptr;
}

const char* HostProgramLoader::run(const float* input, float* output, std::uint32_t& cycles)
{
    if (!entry_)
        return "no program loaded";
    const auto start = std::chrono::steady_clock::now();
    entry_->run(input, output);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    const long double counted = static_cast<long double>(ns) * clockHz_ / 1e9L;
    cycles = static_cast<std::uint32_t>(std::clamp<long double>(counted, 1, 4294967295.0L));
    return nullptr;
}

void HostProgramLoader::unload()
{
    if (handle_)
        ::dlclose(handle_);
    handle_ = nullptr;
    entry_ = nullptr;
}

} // namespace nesy
