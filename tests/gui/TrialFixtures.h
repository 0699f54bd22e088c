#pragma once
// Small deterministic trial sets for the GUI tests: a mix of feasible, infeasible and failed trials
// with error, flash, SRAM and latency terms.
#include "TrialStore.h"
#include <cmath>

namespace nesy::gui::fixtures {

inline std::vector<TrialRow> trials(int count, int firstId = 0)
{
    std::vector<TrialRow> out;
    for (int i = firstId; i < firstId + count; ++i) {
        TrialRow t;
        t.id = i;
        const double size = 4096.0 + double((i * 7919) % 200) * 1024.0;
        if (i % 11 == 5) {
            t.status = TrialStatus::Infeasible;
            t.fault = "flash-overflow";
            t.detail = "needs more flash than the board has";
            t.terms["flash_bytes"] = -1;
        } else if (i % 23 == 7) {
            t.status = TrialStatus::Failed;
            t.detail = "training diverged";
        } else {
            t.terms["error"] = 0.05 + 0.6 / (1.0 + size / 40000.0) + 0.02 * std::sin(i * 1.7);
            t.terms["flash_bytes"] = size;
            t.terms["sram_bytes"] = size / 3;
            t.terms["latency_ms"] = size / 8000.0;
            t.objective = t.terms["error"] + 0.1 * size / 512000.0;
        }
        t.assignment["mlp.units"] = Value(8 << (i % 5));
        t.proposedBy = i < 5 ? "initial" : "ucb";
        out.push_back(t);
    }
    return out;
}

} // namespace nesy::gui::fixtures
