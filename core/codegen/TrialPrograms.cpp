#include "TrialPrograms.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/GraphLowering.h"
#include "codegen/ModelSpecLowering.h"
#include "engine/ProjectEvaluator.h"
#include "kalman/BlockSettings.h"
#include "learn/ProgramCompiler.h"
#include "symbolic/BlockSettings.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nesy::codegen {

TrainedTrial retrainTrial(const Project& project, const ProgramGraph& graph, int threads)
{
    EvaluatorOptions options;
    options.threads = threads;
    std::optional<learn::TrainedProgram> trained;
    options.onTrained = [&](const learn::TrainedProgram& t) { trained = t; };
    auto evaluator = makeProjectEvaluator(project, options);
    StopToken stop;
    TrainedTrial out;
    out.result = evaluator->evaluate(graph, stop);
    if (out.result.status != TrialStatus::Ok || !trained)
        throw std::runtime_error("the trial's program could not be retrained (" +
                                 (out.result.fault.empty() ? std::string("failed") : out.result.fault) +
                                 "): " + out.result.detail);
    out.program = std::move(*trained);
    return out;
}

ProgramIR lowerTrainedClassifier(const learn::TrainedProgram& t)
{
    if (!t.classifier)
        throw std::invalid_argument("the trained program has no classifier");
    ProgramIR ir = lowerCandidateModel(*t.classifier);
    if (t.decision)
        ir.decision = DecisionStage{t.decision->trees, t.decisionInputs};
    ir.validate();
    return ir;
}

FilterIR orientationEkfFilter(const kalman::OrientationEkfSettings& s, double sampleRateHz, const std::string& name)
{
    FilterIR f;
    f.name = name;
    f.kind = FilterKind::OrientationEkf;
    f.stateSize = 4;
    f.measurementSize = 3;
    f.x0 = {1.0, 0.0, 0.0, 0.0};
    f.P0.assign(16, 0.0);
    for (int i = 0; i < 4; ++i)
        f.P0[std::size_t(i) * 5] = s.initialVariance;
    f.accNoise = s.accNoise;
    f.gyroNoise = s.gyroNoise;
    f.dt = 1.0 / sampleRateHz;
    return f;
}

CandidateProgram candidateProgramFor(const learn::TrainedProgram& t)
{
    if (t.classifier)
        return buildCandidateProgram(lowerTrainedClassifier(t));
    if (t.orientationEkf)
        return buildCandidateProgram(orientationEkfFilter(*t.orientationEkf, t.sampleRateHz,
                                                          t.filterBlock.empty() ? "filter" : t.filterBlock));
    throw std::invalid_argument("the trained program holds neither a classifier nor a filter");
}

DecisionStage decisionBound(int maxDepth, int maxTrees, const std::vector<std::string>& inputs)
{
    using symbolic::Expr;
    using symbolic::Op;
    if (inputs.empty())
        throw std::invalid_argument("a decision stage needs at least one input");
    int next = 0; // cycles through inputs and classes so the stand-in reads every score
    auto tree = [&](int depth, auto&& self) -> Expr {
        const int k = next++;
        if (depth == 0)
            return Expr::constant(double(k % int(inputs.size())));
        Expr split = Expr::binary(Op::Greater, Expr::input(inputs[std::size_t(k) % inputs.size()]),
                                  Expr::input(inputs[std::size_t(k + 1) % inputs.size()]));
        Expr left = self(depth - 1, self);
        Expr right = self(depth - 1, self);
        return Expr::ifThenElse(split, left, right);
    };
    DecisionStage stage;
    stage.inputs = inputs;
    for (int i = 0; i < std::max(1, maxTrees); ++i)
        stage.trees.push_back(tree(std::max(0, maxDepth), tree));
    return stage;
}

std::optional<std::pair<int, int>> synthesisBound(const ProgramGraph& graph)
{
    for (const Block& b : graph.blocks()) {
        if (b.type != "symbolic.synthesized_tree")
            continue;
        const symbolic::SynthesisSettings s = symbolic::synthesisSettingsFromParams(Json::object(), b.id);
        auto largest = [&](const char* name, int fallback) {
            auto it = b.params.find(name);
            if (it == b.params.end())
                return fallback;
            if (const auto& d = it->second.search) {
                if (d->choices.empty())
                    return static_cast<int>(std::floor(d->high));
                int most = fallback; // ordinal or categorical: the largest numeric choice
                for (const Value& c : d->choices)
                    if (c.is_number())
                        most = std::max(most, c.get<int>());
                return most;
            }
            return it->second.value.is_number() ? it->second.value.get<int>() : fallback;
        };
        return std::make_pair(largest("max_depth", s.maxDepth), largest("max_trees", s.maxTrees));
    }
    return std::nullopt;
}

CandidateProgram candidateProgramForGraph(const ProgramGraph& graph, const Project& project, const BlockRegistry& registry)
{
    const learn::CompiledProgram compiled = learn::compile(graph, project, registry);
    if (const auto* ekf = std::get_if<learn::OrientationEkfSpec>(&compiled)) {
        const auto settings = kalman::orientationEkfSettingsFromParams(ekf->filterParams, ekf->filterBlock);
        return buildCandidateProgram(orientationEkfFilter(settings, ekf->sampleRateHz, ekf->filterBlock));
    }
    const auto& p = std::get<learn::PipelineSpec>(compiled);
    const learn::CandidateModel model = candidateModelForGraph(graph, project, registry);
    ProgramIR ir = lowerCandidateModel(model);
    if (p.symbolic) {
        std::vector<std::string> classes;
        for (int c = 0; c < ir.scoresShape().size(); ++c)
            classes.push_back(std::string("class").append(std::to_string(c)));
        const std::vector<std::string> inputs = learn::decisionInputNames(p.symbolic->type, classes);
        if (p.symbolic->type == "symbolic.threshold_tree") {
            ir.decision = DecisionStage{symbolic::thresholdTreeFromParams(p.symbolic->params, p.symbolic->block).trees,
                                        inputs};
        } else {
            const auto s = symbolic::synthesisSettingsFromParams(p.symbolic->params, p.symbolic->block);
            ir.decision = decisionBound(s.maxDepth, s.maxTrees, inputs);
        }
    }
    return buildCandidateProgram(ir);
}

} // namespace nesy::codegen
