// Transitional: replaced by the learning engine's implementation (core/learn/ProjectEvaluator.cpp)
// when it lands. Until then a project search says plainly why it cannot run.
#include "ProjectEvaluator.h"
#include <stdexcept>

namespace nesy {

std::unique_ptr<Evaluator> makeProjectEvaluator(const Project&, const EvaluatorOptions&)
{
    throw std::runtime_error("evaluating a project's program needs the learning engine, which is not in this build");
}

} // namespace nesy
