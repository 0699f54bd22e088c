#pragma once
// The host port's loader of linked programs (NSY2, arch NESY_ARCH_HOST_SO) for the emulated board:
// the firmware core runs inside the host process, so a program image carries a shared object built
// by the host's C compiler; it is written to a private temporary file and dlopened. This is the
// port layer the firmware core calls through nesy_fw_loader, not the core itself.
//
// Latency: the board's clock applied to the host's time, cycles = elapsed ns * clock_hz / 1e9
// (documented in docs/protocol.md). Peak stack: not measured (the image's declared figure).
#include "firmware/nesy_image.h"
#include <cstdint>
#include <string>

namespace nesy {

class HostProgramLoader {
public:
    explicit HostProgramLoader(std::uint32_t clockHz) : clockHz_(clockHz) {}
    ~HostProgramLoader() { unload(); }
    HostProgramLoader(const HostProgramLoader&) = delete;
    HostProgramLoader& operator=(const HostProgramLoader&) = delete;

    // Returns nullptr or a reason (the bad-image fault's detail; valid until the next call).
    const char* load(const std::uint8_t* image, const nesy_image_info& info);
    const char* run(const float* input, float* output, std::uint32_t& cycles);
    void unload();
    bool loaded() const { return handle_ != nullptr; }

private:
    std::uint32_t clockHz_;
    void* handle_ = nullptr;
    const nesy_program_entry* entry_ = nullptr;
    std::string problem_;
};

} // namespace nesy
