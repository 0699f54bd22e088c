#pragma once
// Follows a search journal while another process (a local `nesy search`, or rank 0 of an MPI job)
// appends to it, feeding each newly finished trial to the TrialStore so the Pareto plot and the
// trial table update live. Changes are noticed by QFileSystemWatcher, with a poll timer as the
// fallback (network file systems on clusters often send no change events).
//
// Only complete lines are read: a line still being written is left until its newline arrives. A
// file that shrinks or gets a new header (a new search replaced it) is reloaded from the start; a
// malformed complete line is skipped. Both are reported through statusChanged().
#include "TrialStore.h"
#include <QFileSystemWatcher>
#include <QTimer>
#include <filesystem>
#include <istream>
#include <string>

namespace nesy::gui {

class JournalFollower : public QObject {
    Q_OBJECT
public:
    explicit JournalFollower(TrialStore& store, QObject* parent = nullptr);

    // Clears the store and starts following `journal` (it may not exist yet).
    void follow(const std::filesystem::path& journal);
    void stop();
    bool following() const { return !file_.empty(); }
    const std::filesystem::path& file() const { return file_; }
    int trialsRead() const { return trialsRead_; }
    int linesSkipped() const { return skipped_; }
    const QString& status() const { return status_; }

    void setPollInterval(int ms) { timer_.setInterval(ms); }
    // Reads whatever complete lines were appended since the last read (the watcher and the timer
    // call it; tests may too).
    void poll();

signals:
    void statusChanged(const QString& message);

private:
    void restart(const QString& why);
    void setStatus(const QString& message);
    void watchFile();
    static bool matchesAt(std::istream& in, std::uintmax_t at, const std::string& expected);

    TrialStore& store_;
    QFileSystemWatcher watcher_;
    QTimer timer_;
    std::filesystem::path file_;
    std::uintmax_t offset_ = 0; // bytes consumed: always the end of a complete line
    int lineNumber_ = 0;        // complete lines consumed
    std::string header_;        // the first line and the last line read, to notice a journal
    std::string tail_;          // rewritten in place
    int trialsRead_ = 0;
    int skipped_ = 0;
    QString note_; // why the journal was reloaded, or the last malformed line: kept in the status
    QString status_;
};

} // namespace nesy::gui
