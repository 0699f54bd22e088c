#pragma once
// One interface for every board: simulated (resource model), emulated (arm-none-eabi-gcc + QEMU) and
// attached over USB (devices/). The board manager in devices/ owns them; the search and the GUI
// only talk to that manager.
#include "boards/BoardProfile.h"
#include "boards/Measurement.h"
#include "engine/Evaluator.h"
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace nesy {

// A candidate program ready to deploy: the generated C sources plus what a board needs to check it.
struct CandidateProgram {
    std::string name;
    std::map<std::string, std::string> sources; // file name -> generated C99 text
    std::vector<std::uint8_t> image;            // a linked image for boards that take one (may be empty)
    Json summary;                               // weights/arena/state bytes, op counts: for resource models
    std::vector<float> testInput;               // one inference's input
    std::vector<float> expectedOutput;          // the engine's output on it
};

enum class BoardKind { Simulated, Emulated, Usb };
enum class BoardState { Ready, Busy, Unavailable, Faulted, Disconnected };

std::string boardKindName(BoardKind k);   // "simulated", "emulated", "usb"
std::string boardStateName(BoardState s); // "ready", ...

// A periodic sample streamed by a board: what the GUI's resource bars show.
struct TelemetrySample {
    std::string boardId;
    std::chrono::steady_clock::time_point time;
    std::int64_t flashUsedBytes = 0;
    std::int64_t sramUsedBytes = 0;
    double lastLatencyMs = 0;
    BoardState state = BoardState::Ready;
};

class Board {
public:
    virtual ~Board() = default;
    virtual std::string id() const = 0; // "sim:nucleo-f446re", "emu:nucleo-f446re", "usb:<bus>-<port>"
    virtual BoardKind kind() const = 0;
    virtual const BoardProfile& profile() const = 0;
    virtual BoardState state() const = 0;
    virtual std::string stateDetail() const { return {}; } // why unavailable / faulted
    // Measures one candidate. Thread-safe; may block for as long as the board needs.
    virtual Measurement measure(const CandidateProgram& program, const StopToken& stop) = 0;
};

} // namespace nesy
