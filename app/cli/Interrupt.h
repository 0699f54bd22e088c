#pragma once
// Ctrl-C (SIGINT) and SIGTERM during a long command: instead of killing the process mid-trial,
// the command is told, cancels its work and exits cleanly (finished trials are already journalled).
// While an InterruptWatch lives, the two signals only set a flag; the previous handlers come back
// when it is destroyed. One at a time.
#include <csignal>

namespace nesy::cli {

class InterruptWatch {
public:
    InterruptWatch();
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;

    bool requested() const;

private:
    struct sigaction previousInt_ {};
    struct sigaction previousTerm_ {};
};

} // namespace nesy::cli
