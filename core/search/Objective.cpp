#include "Objective.h"
#include "boards/BoardProfile.h"
#include "engine/Resources.h"
#include "symbolic/RuleTerms.h"
#include <stdexcept>

namespace nesy {

namespace {

double term(const std::map<std::string, double>& terms, const std::string& name)
{
    auto it = terms.find(name);
    return it == terms.end() ? 0.0 : it->second;
}

} // namespace

Objective Objective::fromProject(const Project& p, PenaltyMode mode)
{
    std::optional<BoardLimits> limits;
    if (!p.boards.empty()) {
        // "sim:nucleo-f446re", "qemu:nucleo-f446re" and plain "nucleo-f446re" name the same profile.
        std::string id = p.boards.front();
        if (auto colon = id.find(':'); colon != std::string::npos)
            id = id.substr(colon + 1);
        const auto profiles = loadBoardProfiles(boardProfileDir());
        const BoardProfile* profile = findBoardProfile(profiles, id);
        if (!profile)
            throw std::runtime_error("board \"" + p.boards.front() + "\" has no profile in " +
                                     boardProfileDir().string());
        limits = BoardLimits{id, double(profile->usableFlashBytes()), double(profile->usableSramBytes())};
    }
    // Each rule block weights its own "rule:<name>" term; a weight in the project's terms wins.
    ObjectiveWeights weights = p.objective;
    for (const auto& [term, w] : symbolic::ruleTermWeights(p.graph, BlockRegistry::builtin()))
        weights.terms.emplace(term, w);
    return Objective(weights, limits, mode);
}

Objective Objective::singleTerm(const std::string& name)
{
    ObjectiveWeights w;
    w.error = w.flash = w.sram = w.latency = 0;
    w.terms[name] = 1.0;
    return Objective(w, std::nullopt);
}

double Objective::weightedTerms(const std::map<std::string, double>& terms) const
{
    double f = weights_.error * term(terms, "error");
    if (limits_ && limits_->flashBytes > 0)
        f += weights_.flash * term(terms, "flash_bytes") / limits_->flashBytes;
    if (limits_ && limits_->sramBytes > 0)
        f += weights_.sram * term(terms, "sram_bytes") / limits_->sramBytes;
    if (weights_.latencyBudgetMs > 0)
        f += weights_.latency * term(terms, "latency_ms") / weights_.latencyBudgetMs;
    for (const auto& [name, w] : weights_.terms)
        f += w * term(terms, name);
    return f;
}

double Objective::overflow(const std::map<std::string, double>& terms) const
{
    if (!limits_)
        return 1.0;
    double o = 0;
    if (limits_->flashBytes > 0)
        o += std::max(0.0, term(terms, "flash_bytes") / limits_->flashBytes - 1);
    if (limits_->sramBytes > 0)
        o += std::max(0.0, term(terms, "sram_bytes") / limits_->sramBytes - 1);
    return o > 0 ? o : 1.0; // infeasible for another reason (unsupported operator, fault): a unit penalty
}

std::optional<double> Objective::value(TrialStatus status, const std::map<std::string, double>& terms) const
{
    switch (status) {
    case TrialStatus::Ok: return weightedTerms(terms);
    case TrialStatus::Infeasible:
        if (mode_ == PenaltyMode::Hard)
            return hardPenalty;
        {
            // Never trained: its error is unknown, so count the worst error.
            auto withError = terms;
            if (!withError.count("error"))
                withError["error"] = 1.0;
            return weightedTerms(withError) + softWeight * overflow(terms);
        }
    case TrialStatus::Failed:
    case TrialStatus::Cancelled: return std::nullopt;
    }
    return std::nullopt;
}

std::optional<double> Objective::value(const TrialResult& r) const { return value(r.status, r.terms); }

} // namespace nesy
