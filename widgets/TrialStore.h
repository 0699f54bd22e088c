#pragma once
// The trials of a search as the GUI holds them: a plain row per finished trial (the fields of the
// search engine's TrialRecord that the panels show) and a store that the table, the Pareto plot and
// the details panel all read. Trials arrive in batches so 10,000 of them stay smooth.
#include "engine/Evaluator.h"
#include "graph/ProgramGraph.h"
#include <QObject>
#include <limits>
#include <optional>

namespace nesy::gui {

struct TrialRow {
    int id = 0;
    TrialStatus status = TrialStatus::Ok;
    std::string fault;
    std::string detail;
    std::map<std::string, double> terms; // "error", "flash_bytes", "sram_bytes", "latency_ms", ...
    double objective = std::numeric_limits<double>::quiet_NaN();
    Assignment assignment;
    std::string proposedBy; // "initial", "random", "ucb"
    Json details = Json::object(); // per-board measurements ...

    std::optional<double> term(const std::string& name) const;
    bool feasible() const { return status == TrialStatus::Ok; }
    bool hasObjective() const { return objective == objective; }

    // One line of a search journal (the engine's TrialRecord JSON); throws FormatError.
    static TrialRow fromJson(const JsonReader& r);
    Json toJson() const;
};

// What the Pareto plot can put on its horizontal axis.
enum class ResourceAxis { Flash, Sram, Latency };
std::string resourceTerm(ResourceAxis a); // "flash_bytes" ...
QString resourceTitle(ResourceAxis a);    // "Flash (KB)" ...
double resourceScale(ResourceAxis a);     // bytes -> KB, ms -> ms

class TrialStore : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    const std::vector<TrialRow>& trials() const { return trials_; }
    const TrialRow* trial(int id) const;
    std::optional<int> rowOf(int id) const; // position in trials()
    std::optional<int> bestTrial() const { return best_; } // lowest objective among feasible trials
    std::optional<int> selectedTrial() const { return selected_; }

    void append(std::vector<TrialRow> batch);
    void clear();
    void select(std::optional<int> id);

    // Reads every trial line of a search journal (the header line is skipped).
    static std::vector<TrialRow> readJournal(const std::filesystem::path& file);
    std::string toCsv() const;
    std::string toJson() const;

signals:
    void appended(int first, int count); // rows [first, first + count)
    void cleared();
    void selectionChanged(std::optional<int> id);

private:
    std::vector<TrialRow> trials_;
    std::map<int, std::size_t> index_; // trial id -> position
    std::optional<int> best_;
    std::optional<int> selected_;
};

} // namespace nesy::gui
