#include "RuleChecks.h"
#include "kalman/StateQuantity.h"
#include "symbolic/BlockSettings.h"
#include <Eigen/Core>
#include <cmath>
#include <stdexcept>

namespace nesy::learn {

Dataset withMovementChannel(const Dataset& d, const symbolic::MovementChannel& channel)
{
    Dataset out = d.emptyLike();
    out.channels = d.channels + 1;
    out.channelNames.push_back("moving");
    out.labels = d.labels;
    out.subjects = d.subjects;
    out.targets = d.targets;
    out.values.reserve(d.size() * std::size_t(d.length) * std::size_t(out.channels));
    for (std::size_t i = 0; i < d.size(); ++i) {
        const std::vector<float> extended = channel.apply(d.window(i), d.length, d.channels);
        out.values.insert(out.values.end(), extended.begin(), extended.end());
    }
    return out;
}

std::vector<std::vector<std::size_t>> recordingStreams(const Dataset& d)
{
    std::vector<std::vector<std::size_t>> streams;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i == 0 || d.subjects[i] != d.subjects[i - 1] || d.labels[i] != d.labels[i - 1])
            streams.emplace_back();
        streams.back().push_back(i);
    }
    return streams;
}

namespace {

// Softmax of one row of raw outputs: rule.bound bounds class probabilities.
Eigen::VectorXd probabilities(const Matrix& scores, std::size_t row)
{
    const Eigen::VectorXd z = scores.row(Eigen::Index(row)).cast<double>().transpose();
    const Eigen::VectorXd e = (z.array() - z.maxCoeff()).exp();
    return e / e.sum();
}

void add(symbolic::ViolationCount& total, const symbolic::ViolationCount& part)
{
    total.violations += part.violations;
    total.checked += part.checked;
}

symbolic::ViolationCount checkSequence(const RuleSpec& r, const Dataset& d, const std::vector<int>& decisions,
                                       const std::vector<std::vector<std::size_t>>& streams, double strideSeconds)
{
    const symbolic::SequenceRule rule = symbolic::sequenceRuleFromParams(r.params, d.classNames, r.term.ruleBlock);
    symbolic::ViolationCount total;
    for (const auto& stream : streams) {
        symbolic::TimedDecisions s;
        for (std::size_t k = 0; k < stream.size(); ++k) {
            s.times.push_back(double(k) * strideSeconds);
            s.decisions.push_back(decisions.at(stream[k]));
        }
        add(total, rule.count(s));
    }
    return total;
}

// Every class probability of every window; with on_rate, every class's change per second between
// consecutive windows of a recording.
symbolic::ViolationCount checkBound(const RuleSpec& r, const Matrix& scores,
                                    const std::vector<std::vector<std::size_t>>& streams, double strideSeconds)
{
    const bool onRate = r.params.value("on_rate", false);
    symbolic::ViolationCount total;
    for (const auto& stream : streams) {
        if (stream.empty())
            continue;
        Eigen::MatrixXd p(Eigen::Index(stream.size()), scores.cols());
        std::vector<double> times;
        for (std::size_t k = 0; k < stream.size(); ++k) {
            p.row(Eigen::Index(k)) = probabilities(scores, stream[k]).transpose();
            times.push_back(double(k) * strideSeconds);
        }
        for (Eigen::Index c = 0; c < p.cols(); ++c) {
            const Eigen::VectorXd column = p.col(c);
            add(total, onRate ? symbolic::rateBoundRuleFromParams(r.params, r.term.ruleBlock).count(column, times)
                              : symbolic::boundRuleFromParams(r.params, r.term.ruleBlock).count(column));
        }
    }
    return total;
}

} // namespace

std::vector<RuleOutcome> checkRules(const std::vector<RuleSpec>& rules, const Dataset& d,
                                    const std::vector<int>& modelDecisions, const std::vector<int>& programDecisions,
                                    const Matrix& scores, double strideSeconds)
{
    if (!(strideSeconds > 0))
        throw std::invalid_argument("rules: the time between windows must be positive");
    const auto streams = recordingStreams(d);
    std::vector<RuleOutcome> out;
    for (const RuleSpec& r : rules) {
        RuleOutcome o{&r, {}};
        try {
            if (r.term.ruleType == "rule.sequence")
                o.count = checkSequence(r, d, r.readsProgram ? programDecisions : modelDecisions, streams, strideSeconds);
            else
                o.count = checkBound(r, scores, streams, strideSeconds);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("block \"" + r.term.ruleBlock + "\" (" + r.term.ruleType + "): " + e.what());
        }
        out.push_back(o);
    }
    return out;
}

std::vector<RuleOutcome> checkStateRules(const std::vector<RuleSpec>& rules, const std::string& filterType,
                                         const std::vector<kalman::FilterRun>& runs)
{
    std::vector<RuleOutcome> out;
    for (const RuleSpec& r : rules) {
        RuleOutcome o{&r, {}};
        try {
            const kalman::StateQuantity q = kalman::stateQuantity(filterType, r.params.value("quantity", std::string("speed")));
            const bool onRate = r.params.value("on_rate", false);
            for (const kalman::FilterRun& run : runs) {
                const Eigen::VectorXd values = q.along(run.states, onRate);
                add(o.count, onRate ? symbolic::rateBoundRuleFromParams(r.params, r.term.ruleBlock).count(values, run.times)
                                    : symbolic::boundRuleFromParams(r.params, r.term.ruleBlock).count(values));
            }
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("block \"" + r.term.ruleBlock + "\" (" + r.term.ruleType + "): " + e.what());
        }
        out.push_back(o);
    }
    return out;
}

void addRuleTerms(TrialResult& r, const std::vector<RuleOutcome>& validation, const std::vector<RuleOutcome>& test)
{
    Json rules = Json::array();
    for (std::size_t i = 0; i < validation.size(); ++i) {
        const RuleSpec& rule = *validation[i].rule;
        r.terms[rule.term.term] = validation[i].count.rate();
        Json j = {{"block", rule.term.ruleBlock}, {"type", rule.term.ruleType}, {"term", rule.term.term},
                  {"weight", rule.term.weight}, {"reads", rule.reads},
                  {"violations", validation[i].count.violations}, {"checked", validation[i].count.checked},
                  {"rate", validation[i].count.rate()}};
        if (i < test.size())
            j["test"] = {{"violations", test[i].count.violations}, {"checked", test[i].count.checked},
                         {"rate", test[i].count.rate()}};
        rules.push_back(j);
    }
    r.details["rules"] = rules;
}

} // namespace nesy::learn
