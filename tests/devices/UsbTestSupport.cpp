#include "UsbTestSupport.h"
#include "host/ReferenceImage.h"
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace nesy::test {

BoardManagerOptions fastOptions()
{
    BoardManagerOptions o;
    const char* source = std::getenv("NESY_SOURCE_DIR");
    if (!source)
        throw std::runtime_error("NESY_SOURCE_DIR is not set (ctest sets it)");
    o.knownProfiles = loadBoardProfiles(std::filesystem::path(source) / "resources" / "boards");
    o.usb.helloTimeout = std::chrono::milliseconds(2000);
    o.usb.requestTimeout = std::chrono::milliseconds(1000);
    o.usb.runTimeout = std::chrono::milliseconds(5000);
    o.usb.telemetryPeriodUs = 10000;
    o.usb.inferencesPerMeasure = 4;
    return o;
}

CandidateProgram referenceCandidate(int inputs, int outputs, std::uint32_t seed)
{
    ReferenceProgram p = makeReferenceProgram(inputs, outputs, seed);
    CandidateProgram c;
    c.name = "dense-" + std::to_string(inputs) + "x" + std::to_string(outputs);
    c.image = p.image();
    for (int i = 0; i < inputs; ++i)
        c.testInput.push_back(0.05f * static_cast<float>(i % 17) - 0.4f);
    c.expectedOutput = p.run(c.testInput);
    return c;
}

EventRecorder::EventRecorder(BoardManager& manager) : manager_(manager)
{
    subscription_ = manager.subscribeBoardEvents([this](const BoardEvent& e) {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(e);
        }
        changed_.notify_all();
    });
}

EventRecorder::~EventRecorder()
{
    manager_.unsubscribe(subscription_);
}

bool EventRecorder::waitFor(BoardEventKind kind, const std::string& id, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    bool seen = changed_.wait_for(lock, timeout, [&] {
        for (const BoardEvent& e : events_)
            if (e.kind == kind && e.boardId == id)
                return true;
        return false;
    });
    if (!seen) // say what did happen: the failure message alone would not
        for (const BoardEvent& e : events_)
            std::fprintf(stderr, "board event %d %s: %s\n", static_cast<int>(e.kind), e.boardId.c_str(), e.detail.c_str());
    return seen;
}

std::vector<BoardEvent> EventRecorder::events() const
{
    std::lock_guard lock(mutex_);
    return events_;
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
}

} // namespace nesy::test
