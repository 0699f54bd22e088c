#pragma once
// The JSON-lines journal of a search. Line 1 is a header object {"journal":"nesy-search","version":1,
// "seed":...,"space":{"parameters":[...],"constraints":[...]}}; every further line is one finished trial (TrialRecord::toJson()).
// Each line is written, flushed and fsync'ed before the trial is reported, so a killed process loses
// at most the line it was writing; that truncated last line is detected and ignored with a warning.
#include "TrialRecord.h"
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace nesy {

inline constexpr int kJournalVersion = 1;

struct JournalContents {
    Json header = Json::object();
    std::vector<TrialRecord> trials;
    std::vector<std::string> warnings; // "run.journal.jsonl:12: truncated last line ignored (...)"
    std::uintmax_t validBytes = 0;      // length of the well-formed prefix (where appending resumes)
};

// Where a project's search journal lives: "run.nesy.json" -> "run.journal.jsonl" beside it. The CLI,
// the workbench and `--trial ID` lookups all use this one name.
std::filesystem::path journalPathFor(const std::filesystem::path& projectFile);

// Reads a journal. A malformed line that is not the last one is an error (FormatError naming the
// file and line); a malformed or unterminated last line becomes a warning.
JournalContents readJournal(const std::filesystem::path& file);

// Appends trials to a journal file. Not thread-safe: the engine thread owns it.
class JournalWriter {
public:
    // Starts a new journal (replacing any file there) with the given header.
    static JournalWriter create(const std::filesystem::path& file, const Json& header);
    // Continues an existing journal after its first `validBytes` bytes (cutting a truncated line).
    static JournalWriter resume(const std::filesystem::path& file, std::uintmax_t validBytes);

    JournalWriter(JournalWriter&& o) noexcept;
    JournalWriter& operator=(JournalWriter&& o) noexcept;
    JournalWriter(const JournalWriter&) = delete;
    JournalWriter& operator=(const JournalWriter&) = delete;
    ~JournalWriter();

    // Writes one line and forces it to disk; throws std::runtime_error naming the file on failure.
    void append(const TrialRecord& trial);
    const std::filesystem::path& file() const { return file_; }

private:
    JournalWriter(std::filesystem::path file, std::FILE* f) : file_(std::move(file)), f_(f) {}
    void writeLine(const std::string& line);

    std::filesystem::path file_;
    std::FILE* f_ = nullptr;
};

} // namespace nesy
