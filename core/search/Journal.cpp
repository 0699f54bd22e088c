#include "Journal.h"
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace nesy {

std::filesystem::path journalPathFor(const std::filesystem::path& projectFile)
{
    std::string stem = projectFile.filename().string();
    for (const std::string ext : {".nesy.json", ".json"})
        if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), std::string::npos, ext) == 0) {
            stem.resize(stem.size() - ext.size());
            break;
        }
    return projectFile.parent_path() / (stem + ".journal.jsonl");
}

JournalContents readJournal(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw FormatError(file.string(), "cannot open the journal");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    JournalContents out;
    std::size_t pos = 0;
    int line = 0;
    while (pos < text.size()) {
        ++line;
        std::size_t end = text.find('\n', pos);
        bool terminated = end != std::string::npos;
        std::string content = text.substr(pos, terminated ? end - pos : std::string::npos);
        std::size_t next = terminated ? end + 1 : text.size();
        bool last = next >= text.size();
        const std::string where = file.string() + ":" + std::to_string(line);
        try {
            if (!terminated)
                throw FormatError("$", "the line does not end (the writer was interrupted)");
            Json j = parseJsonText(content, where);
            if (line == 1) {
                JsonReader r(j);
                if (r.optString("journal", "") != "nesy-search")
                    r.fail("not a nesy search journal (the first line has no \"journal\": \"nesy-search\")");
                if (r.optInteger("version", 0) != kJournalVersion)
                    r.fail("journal version " + std::to_string(r.optInteger("version", 0)) + " is not supported");
                out.header = j;
            } else {
                out.trials.push_back(TrialRecord::fromJson(JsonReader(j)));
            }
        } catch (const FormatError& e) {
            if (!last || line == 1)
                throw FormatError(where, e.what());
            out.warnings.push_back(where + ": truncated last line ignored (" + e.what() + ")");
            break;
        }
        out.validBytes = next;
        pos = next;
    }
    if (line == 0)
        throw FormatError(file.string(), "the journal is empty");
    return out;
}

JournalWriter JournalWriter::create(const std::filesystem::path& file, const Json& header)
{
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (!f)
        throw std::runtime_error("cannot create the journal " + file.string() + ": " + std::strerror(errno));
    JournalWriter w(file, f);
    w.writeLine(header.dump());
    return w;
}

JournalWriter JournalWriter::resume(const std::filesystem::path& file, std::uintmax_t validBytes)
{
    // Cut a truncated last line first, so the next record starts on a line of its own.
    std::error_code ec;
    if (std::filesystem::file_size(file, ec) != validBytes) {
        std::filesystem::resize_file(file, validBytes, ec);
        if (ec)
            throw std::runtime_error("cannot cut the truncated line of " + file.string() + ": " + ec.message());
    }
    std::FILE* f = std::fopen(file.c_str(), "ab");
    if (!f)
        throw std::runtime_error("cannot open the journal " + file.string() + ": " + std::strerror(errno));
    return JournalWriter(file, f);
}

JournalWriter::JournalWriter(JournalWriter&& o) noexcept : file_(std::move(o.file_)), f_(o.f_) { o.f_ = nullptr; }

JournalWriter& JournalWriter::operator=(JournalWriter&& o) noexcept
{
    if (this != &o) {
        if (f_)
            std::fclose(f_);
        file_ = std::move(o.file_);
        f_ = o.f_;
        o.f_ = nullptr;
    }
    return *this;
}

JournalWriter::~JournalWriter()
{
    if (f_)
        std::fclose(f_);
}

void JournalWriter::append(const TrialRecord& trial) { writeLine(trial.toJson().dump()); }

void JournalWriter::writeLine(const std::string& line)
{
    std::string text = line + "\n";
    if (std::fwrite(text.data(), 1, text.size(), f_) != text.size() || std::fflush(f_) != 0 || ::fsync(fileno(f_)) != 0)
        throw std::runtime_error("cannot write to the journal " + file_.string() + ": " + std::strerror(errno));
}

} // namespace nesy
