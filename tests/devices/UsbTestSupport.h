#pragma once
// Shared by the umockdev end-to-end tests: options with short timeouts, candidate programs for the
// reference firmware, and a thread-safe recorder of board-manager events.
#include "emulation/EmulatedUsb.h"
#include "host/BoardManager.h"
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace nesy::test {

BoardManagerOptions fastOptions();
CandidateProgram referenceCandidate(int inputs, int outputs, std::uint32_t seed = 1);

class EventRecorder {
public:
    explicit EventRecorder(BoardManager& manager);
    ~EventRecorder(); // unsubscribes: the manager may outlive the recorder
    bool waitFor(BoardEventKind kind, const std::string& id, std::chrono::milliseconds timeout);
    std::vector<BoardEvent> events() const;

private:
    BoardManager& manager_;
    BoardManager::SubscriptionId subscription_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<BoardEvent> events_;
};

// Polls pred every few milliseconds until it holds or the timeout passes.
bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

} // namespace nesy::test
