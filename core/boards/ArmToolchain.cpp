#include "ArmToolchain.h"
#include "boards/Subprocess.h"
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace nesy {

namespace {

std::filesystem::path runningExecutable()
{
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path{} : p;
}

std::filesystem::path locatePlugin()
{
    const std::string file = "libnesy_qemu_insn_count.so";
    if (const char* env = std::getenv("NESY_QEMU_PLUGIN"); env && *env)
        return env;
    std::vector<std::filesystem::path> candidates;
    if (auto exe = runningExecutable(); !exe.empty()) {
        candidates.push_back(exe.parent_path() / ".." / "lib" / "nesy-workbench" / file);
        candidates.push_back(exe.parent_path() / ".." / "lib" / file);
    }
#ifdef NESY_QEMU_PLUGIN_BUILD_PATH
    candidates.push_back(NESY_QEMU_PLUGIN_BUILD_PATH);
#endif
    for (const auto& c : candidates)
        if (::access(c.c_str(), R_OK) == 0)
            return std::filesystem::weakly_canonical(c);
    return {};
}

} // namespace

ArmToolchain ArmToolchain::locate()
{
    ArmToolchain t;
    t.gcc = findExecutable("arm-none-eabi-gcc");
    t.size = findExecutable("arm-none-eabi-size");
    t.qemu = findExecutable("qemu-system-arm");
    t.plugin = locatePlugin();
    std::vector<std::string> missing;
    if (t.gcc.empty())
        missing.push_back("arm-none-eabi-gcc not found on PATH (install gcc-arm-none-eabi)");
    if (t.size.empty())
        missing.push_back("arm-none-eabi-size not found on PATH (install binutils-arm-none-eabi)");
    if (t.qemu.empty())
        missing.push_back("qemu-system-arm not found on PATH (install qemu-system-arm)");
    if (t.plugin.empty())
        missing.push_back("the instruction-counting QEMU plugin libnesy_qemu_insn_count.so was not found "
                          "(set NESY_QEMU_PLUGIN)");
    for (std::size_t i = 0; i < missing.size(); ++i)
        t.problem += (i ? "; " : "") + missing[i];
    return t;
}

std::vector<std::string> armCpuFlags(const BoardProfile& profile)
{
    std::vector<std::string> flags{"-mthumb"};
    if (profile.core == "cortex-m4") {
        flags.push_back("-mcpu=cortex-m4");
        if (profile.fpu) {
            flags.push_back("-mfpu=fpv4-sp-d16");
            flags.push_back("-mfloat-abi=hard");
        }
    } else if (profile.core == "cortex-m7") {
        flags.push_back("-mcpu=cortex-m7");
        if (profile.fpu) {
            flags.push_back("-mfpu=fpv5-sp-d16");
            flags.push_back("-mfloat-abi=hard");
        }
    } else {
        throw std::invalid_argument("board " + profile.id + ": arm-none-eabi-gcc cannot target core \"" +
                                    profile.core + "\"");
    }
    if (!profile.fpu)
        flags.push_back("-mfloat-abi=soft");
    return flags;
}

} // namespace nesy
