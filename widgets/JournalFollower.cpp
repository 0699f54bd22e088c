#include "JournalFollower.h"
#include "GraphModel.h"
#include <fstream>

namespace nesy::gui {

JournalFollower::JournalFollower(TrialStore& store, QObject* parent) : QObject(parent), store_(store)
{
    timer_.setInterval(1000);
    connect(&timer_, &QTimer::timeout, this, &JournalFollower::poll);
    connect(&watcher_, &QFileSystemWatcher::fileChanged, this, [this] {
        watchFile(); // a file replaced by rename drops out of the watcher
        poll();
    });
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, [this] {
        watchFile();
        poll();
    });
}

void JournalFollower::follow(const std::filesystem::path& journal)
{
    stop();
    file_ = journal;
    const QString dir = qstr(journal.parent_path().empty() ? std::string(".") : journal.parent_path().string());
    watcher_.addPath(dir);
    watchFile();
    timer_.start();
    restart(QString());
}

void JournalFollower::stop()
{
    timer_.stop();
    if (!watcher_.files().isEmpty())
        watcher_.removePaths(watcher_.files());
    if (!watcher_.directories().isEmpty())
        watcher_.removePaths(watcher_.directories());
    file_.clear();
}

void JournalFollower::watchFile()
{
    const QString path = qstr(file_.string());
    if (!file_.empty() && !watcher_.files().contains(path) && std::filesystem::exists(file_))
        watcher_.addPath(path);
}

void JournalFollower::setStatus(const QString& message)
{
    if (message == status_)
        return;
    status_ = message;
    emit statusChanged(message);
}

void JournalFollower::restart(const QString& why)
{
    offset_ = 0;
    lineNumber_ = 0;
    header_.clear();
    tail_.clear();
    trialsRead_ = 0;
    skipped_ = 0;
    note_ = why;
    store_.clear();
    if (!why.isEmpty())
        setStatus(why);
    poll();
}

bool JournalFollower::matchesAt(std::istream& in, std::uintmax_t at, const std::string& expected)
{
    if (expected.empty())
        return true;
    std::string actual(expected.size(), '\0');
    in.clear();
    in.seekg(std::streamoff(at));
    in.read(actual.data(), std::streamsize(actual.size()));
    return in.gcount() == std::streamsize(expected.size()) && actual == expected;
}

void JournalFollower::poll()
{
    if (file_.empty())
        return;
    const QString name = qstr(file_.filename().string());
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file_, ec);
    if (ec) {
        setStatus(tr("Waiting for %1 to appear").arg(name));
        return;
    }
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
        setStatus(tr("Cannot read %1").arg(name));
        return;
    }
    if (size < offset_) {
        restart(tr("%1 was truncated or rewritten: reloaded from the start").arg(name));
        return;
    }
    // A journal rewritten in place (a new search, possibly with the same header) no longer has
    // the header and the last line read where they were.
    if (!matchesAt(in, 0, header_) || !matchesAt(in, offset_ - tail_.size(), tail_)) {
        restart(tr("%1 was replaced by a new search: reloaded from the start").arg(name));
        return;
    }
    in.clear();
    in.seekg(std::streamoff(offset_));
    std::string appended(std::size_t(size - offset_), '\0');
    in.read(appended.data(), std::streamsize(appended.size()));
    appended.resize(std::size_t(in.gcount()));

    std::vector<TrialRow> rows;
    std::size_t pos = 0;
    for (std::size_t end; (end = appended.find('\n', pos)) != std::string::npos; pos = end + 1) {
        const std::string line = appended.substr(pos, end - pos);
        tail_ = line + "\n";
        const std::string where = file_.string() + ":" + std::to_string(++lineNumber_);
        try {
            const Json j = parseJsonText(line, where);
            if (lineNumber_ == 1) {
                if (!j.is_object() || j.value("journal", "") != "nesy-search")
                    throw FormatError(where, "not a nesy search journal (no \"journal\": \"nesy-search\" header)");
                header_ = line + "\n";
            } else if (!line.empty()) {
                rows.push_back(TrialRow::fromJson(JsonReader(j, where + ": $")));
            }
        } catch (const FormatError& e) {
            if (lineNumber_ == 1) {
                setStatus(tr("Not following %1: %2").arg(name, qstr(e.what())));
                stop();
                return;
            }
            ++skipped_;
            note_ = tr("skipped a malformed line: %1").arg(qstr(e.what()));
        }
    }
    offset_ += pos; // a partial last line stays unread until its newline arrives
    if (!rows.empty()) {
        trialsRead_ += int(rows.size());
        store_.append(std::move(rows));
    }
    if (lineNumber_ == 0) {
        setStatus(tr("Waiting for the first line of %1").arg(name));
        return;
    }
    QString status = tr("Following %1: %n trial(s)", nullptr, trialsRead_).arg(name);
    if (!note_.isEmpty())
        status += QStringLiteral(" (%1)").arg(note_);
    setStatus(status);
}

} // namespace nesy::gui
