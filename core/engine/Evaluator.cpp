#include "Evaluator.h"

namespace nesy {

std::string trialStatusName(TrialStatus s)
{
    switch (s) {
    case TrialStatus::Ok: return "ok";
    case TrialStatus::Infeasible: return "infeasible";
    case TrialStatus::Failed: return "failed";
    case TrialStatus::Cancelled: return "cancelled";
    }
    return "?";
}

} // namespace nesy
