#include "BlockSettings.h"
#include "graph/JsonReader.h"

namespace nesy::symbolic {

SynthesisSettings synthesisSettingsFromParams(const Json& params, const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    SynthesisSettings s;
    s.maxDepth = static_cast<int>(r.optInteger("max_depth", s.maxDepth));
    s.maxTrees = static_cast<int>(r.optInteger("max_trees", s.maxTrees));
    s.thresholdsPerInput = static_cast<int>(r.optInteger("thresholds", s.thresholdsPerInput));
    s.compareInputs = r.optBool("compare_inputs", s.compareInputs);
    s.arithmetic = r.optBool("arithmetic", s.arithmetic);
    s.complexityWeight = r.optNumber("complexity_weight", s.complexityWeight);
    return s;
}

DecisionProgram thresholdTreeFromParams(const Json& params, const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    std::map<std::string, double> constants;
    for (const char* t : {"t0", "t1", "t2", "t3"}) constants[t] = r.optNumber(t, 0.5);
    const std::string text = r.optString("program", "if x0 > t0 then 1 else 0");
    try {
        return instantiateTemplate(text, constants);
    } catch (const ExpressionError& e) {
        r.at("program").fail(e.what());
    }
}

SequenceRule sequenceRuleFromParams(const Json& params, const std::vector<std::string>& classNames,
                                    const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    SequenceRule rule;
    try {
        rule.first = classIndex(classNames, r.optString("first", "falling"));
        rule.then = classIndex(classNames, r.optString("then", "lying"));
    } catch (const std::invalid_argument& e) {
        r.fail(e.what());
    }
    rule.withinSeconds = r.optNumber("within_s", 3.0);
    return rule;
}

BoundRule boundRuleFromParams(const Json& params, const std::string& blockId)
{
    const JsonReader r = JsonReader::object(params, blockId);
    return {r.optNumber("min", -1e9), r.optNumber("max", 1e9)};
}

RateBoundRule rateBoundRuleFromParams(const Json& params, const std::string& blockId)
{
    return {JsonReader::object(params, blockId).optNumber("max", 1e9)};
}

MovementChannel movementChannelFromParams(const Json& params, const std::string& blockId)
{
    MovementChannel m;
    m.threshold = JsonReader::object(params, blockId).optNumber("threshold", m.threshold);
    return m;
}

double ruleTerm(const ViolationCount& count, double weight) { return weight * count.rate(); }

} // namespace nesy::symbolic
