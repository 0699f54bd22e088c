#include "Interrupt.h"
#include <atomic>

namespace nesy::cli {

namespace {

// A signal handler can only reach static storage; this flag is the whole of that state.
std::atomic<bool> interruptRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

extern "C" void onInterrupt(int)
{
    interruptRequested.store(true);
}

} // namespace

InterruptWatch::InterruptWatch()
{
    interruptRequested.store(false);
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previousInt_);
    sigaction(SIGTERM, &action, &previousTerm_);
}

InterruptWatch::~InterruptWatch()
{
    sigaction(SIGINT, &previousInt_, nullptr);
    sigaction(SIGTERM, &previousTerm_, nullptr);
}

bool InterruptWatch::requested() const
{
    return interruptRequested.load();
}

} // namespace nesy::cli
