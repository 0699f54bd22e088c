// Linked into every test of a sanitizer build (tests/CMakeLists.txt: nesy_link_test_exit_wait).
//
// QtTest 6.4 runs its watchdog on a QThread named "QtTest Watchdog". QThread::wait() returns before
// that thread's own exit has dropped its last reference to its QThreadData, so on a loaded machine
// a test could reach LeakSanitizer's exit check while the dying thread still held it, and LSan
// reported the 152-byte QThreadData (allocated in QtCore) as a leak: three such reports failed CI.
// Waiting here, before the leak check, until the watchdog's task has left the process closes that
// window without suppressing any report.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace {

bool qtTestWatchdogIsRunning()
{
    std::error_code error;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", error)) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        if (std::getline(comm, name) && name == "QtTest Watchdog")
            return true;
    }
    return false;
}

struct WaitForQtTestWatchdogAtExit {
    WaitForQtTestWatchdogAtExit() = default;
    WaitForQtTestWatchdogAtExit(const WaitForQtTestWatchdogAtExit&) = delete;
    WaitForQtTestWatchdogAtExit& operator=(const WaitForQtTestWatchdogAtExit&) = delete;

    // Static destructors of the executable run before LeakSanitizer's check, which libasan
    // registered first and so runs last.
    ~WaitForQtTestWatchdogAtExit()
    {
        using namespace std::chrono_literals;
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (qtTestWatchdogIsRunning() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(1ms);
    }
};

const WaitForQtTestWatchdogAtExit waitAtExit;

} // namespace
