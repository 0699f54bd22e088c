#pragma once
// The scalar the search minimises: f = w_error*error + w_flash*flash/usable_flash +
// w_sram*sram/usable_sram + w_latency*latency/latency_budget + sum of named terms times weights.
// Infeasible candidates (never trained) get a constant penalty (hard thresholding) or, in the
// soft mode used for comparison, the weighted terms plus a penalty proportional to the overflow.
#include "engine/Evaluator.h"
#include "graph/Project.h"
#include <optional>

namespace nesy {

enum class PenaltyMode {
    Hard, // constant penalty: the published behaviour
    Soft, // objective of the measured terms + softWeight * relative overflow
};

struct BoardLimits {
    std::string boardId;     // profile id, "nucleo-f446re"
    double flashBytes = 0;   // usable flash
    double sramBytes = 0;    // usable SRAM
};

class Objective {
public:
    Objective() = default;
    Objective(ObjectiveWeights weights, std::optional<BoardLimits> limits, PenaltyMode mode = PenaltyMode::Hard)
        : weights_(std::move(weights)), limits_(std::move(limits)), mode_(mode) {}

    // Weights from the project, limits from its first target board ("sim:nucleo-f446re" ->
    // profile "nucleo-f446re" in boardProfileDir()). Throws std::runtime_error for an unknown board.
    static Objective fromProject(const Project& p, PenaltyMode mode = PenaltyMode::Hard);
    // The objective of the built-in test functions: the single term "value", unweighted.
    static Objective singleTerm(const std::string& term);

    // The objective of a finished evaluation; nullopt for Failed and Cancelled trials.
    std::optional<double> value(const TrialResult& r) const;
    std::optional<double> value(TrialStatus status, const std::map<std::string, double>& terms) const;

    double hardPenalty = 10.0; // normalised terms are about 1, so 10 is far worse than any real model
    double softWeight = 1.0;
    const ObjectiveWeights& weights() const { return weights_; }
    const std::optional<BoardLimits>& limits() const { return limits_; }
    PenaltyMode mode() const { return mode_; }

private:
    double weightedTerms(const std::map<std::string, double>& terms) const;
    double overflow(const std::map<std::string, double>& terms) const;

    ObjectiveWeights weights_;
    std::optional<BoardLimits> limits_;
    PenaltyMode mode_ = PenaltyMode::Hard;
};

} // namespace nesy
