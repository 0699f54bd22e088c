#include "MpiTransport.h"
#include <cstdlib>
#include <mpi.h>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace nesy::distributed {

namespace {

constexpr int kTag = 4207;
constexpr int kCoordinator = 0;
// Between two polls of the network: short enough for a snappy scheduler, long enough that a
// coordinator sharing a core with a worker does not steal its time.
constexpr std::chrono::milliseconds kPollSleep{1};

std::string mpiError(int code)
{
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, text, &length);
    return std::string(text, std::size_t(length));
}

void check(int code, const char* what)
{
    if (code != MPI_SUCCESS)
        throw std::runtime_error(std::string(what) + " failed: " + mpiError(code));
}

// Polls for a message on kTag from `source` until `wait` has passed; receives it when there is one.
std::optional<std::pair<int, std::string>> receiveText(int source, std::chrono::milliseconds wait)
{
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        int flag = 0;
        MPI_Message handle;
        MPI_Status status;
        check(MPI_Improbe(source, kTag, MPI_COMM_WORLD, &flag, &handle, &status), "MPI_Improbe");
        if (flag) {
            int count = 0;
            check(MPI_Get_count(&status, MPI_CHAR, &count), "MPI_Get_count");
            std::string text(std::size_t(count), '\0');
            check(MPI_Mrecv(text.data(), count, MPI_CHAR, &handle, MPI_STATUS_IGNORE), "MPI_Mrecv");
            return std::make_pair(status.MPI_SOURCE, std::move(text));
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(kPollSleep);
    }
}

} // namespace

MpiRuntime::MpiRuntime(int* argc, char*** argv)
{
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (initialised)
        throw std::logic_error("MPI is already initialised in this process");
    int provided = 0;
    check(MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw std::runtime_error("this MPI library does not support MPI_THREAD_SERIALIZED");
    }
    // A failed peer must give an error code, not abort this process.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiRuntime::~MpiRuntime()
{
    if (finalize_)
        MPI_Finalize();
}

bool MpiRuntime::launcherSurvivesRankLoss()
{
    // mpirun exports its MCA settings to the ranks; --enable-recovery sets this one.
    const char* v = std::getenv("OMPI_MCA_orte_enable_recovery");
    return v && (std::string(v) == "1" || std::string(v) == "true");
}

std::string MpiRuntime::processName() const
{
    char host[MPI_MAX_PROCESSOR_NAME];
    int length = 0;
    MPI_Get_processor_name(host, &length);
    return std::string(host, std::size_t(length)) + " pid " + std::to_string(::getpid());
}

struct MpiCoordinatorLink::PendingSend {
    std::string text;
    MPI_Request request = MPI_REQUEST_NULL;
};

MpiCoordinatorLink::MpiCoordinatorLink(const MpiRuntime& mpi) : size_(mpi.size())
{
    if (mpi.rank() != kCoordinator)
        throw std::logic_error("the coordinator link belongs to rank 0");
}

MpiCoordinatorLink::~MpiCoordinatorLink()
{
    // The last messages (stop) usually complete at once; give slow ones a moment, then cancel
    // what remains: a send to a worker that died never completes and MPI_Finalize must not wait.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!sends_.empty() && std::chrono::steady_clock::now() < deadline) {
        reapSends();
        std::this_thread::sleep_for(kPollSleep);
    }
    for (auto& s : sends_) {
        MPI_Cancel(&s.request);
        MPI_Request_free(&s.request);
    }
}

std::vector<int> MpiCoordinatorLink::workers() const
{
    std::vector<int> ids;
    for (int r = 1; r < size_; ++r)
        ids.push_back(r);
    return ids;
}

void MpiCoordinatorLink::reapSends()
{
    for (auto it = sends_.begin(); it != sends_.end();) {
        int done = 0;
        if (MPI_Test(&it->request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS || done)
            it = sends_.erase(it); // completed, or failed towards a dead peer: either way finished
        else
            ++it;
    }
}

void MpiCoordinatorLink::send(int worker, const Message& m)
{
    reapSends();
    auto& s = sends_.emplace_back();
    s.text = m.encode();
    // An error here means the worker is gone: the pool notices its silence, so it is not thrown.
    if (MPI_Isend(s.text.data(), int(s.text.size()), MPI_CHAR, worker, kTag, MPI_COMM_WORLD, &s.request) != MPI_SUCCESS)
        sends_.pop_back();
}

std::optional<Envelope> MpiCoordinatorLink::receive(std::chrono::milliseconds wait)
{
    reapSends();
    auto got = receiveText(MPI_ANY_SOURCE, wait);
    if (!got)
        return std::nullopt;
    return Envelope{got->first, Message::decode(got->second, "message from worker rank " + std::to_string(got->first))};
}

MpiWorkerLink::MpiWorkerLink(const MpiRuntime& mpi) : rank_(mpi.rank())
{
    if (rank_ == kCoordinator)
        throw std::logic_error("rank 0 is the coordinator, not a worker");
}

void MpiWorkerLink::send(const Message& m)
{
    const std::string text = m.encode();
    // Blocking is fine here: without the coordinator there is no search left to serve.
    if (MPI_Send(text.data(), int(text.size()), MPI_CHAR, kCoordinator, kTag, MPI_COMM_WORLD) != MPI_SUCCESS)
        throw LinkClosed("worker rank " + std::to_string(rank_) + " cannot reach the coordinator (rank 0)");
}

std::optional<Message> MpiWorkerLink::receive(std::chrono::milliseconds wait)
{
    auto got = receiveText(kCoordinator, wait);
    if (!got)
        return std::nullopt;
    return Message::decode(got->second, "message to worker rank " + std::to_string(rank_));
}

} // namespace nesy::distributed
