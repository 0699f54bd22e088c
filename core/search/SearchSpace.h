#pragma once
// The mixed search space of a program: its searchable parameters, their activation conditions and
// the user's constraints, plus the encoding the Gaussian process works in.
//
// Encoding (one row per parameter kind): real -> 1 dim in [0,1]; log-real -> 1 dim, log scale;
// integer and ordinal -> 1 dim, rounded on decode; boolean -> 1 dim (0/1); categorical -> one-hot;
// subset -> one membership bit per element. An inactive conditional parameter encodes as all zeros
// whatever its value, so it never moves the kernel.
#include "Constraint.h"
#include "graph/BlockRegistry.h"
#include "graph/Project.h"
#include <Eigen/Dense>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace nesy {

using Rng = std::mt19937_64;

struct SearchParameter {
    std::string key;   // "block.param"
    Domain domain;
    Value inactiveValue; // the value reported when the parameter is inactive (the graph's value)
    // Active only when parameter `condition->param` (a full "block.param" key of this space) takes
    // one of `condition->anyOf`; unconditional when empty.
    std::optional<Condition> condition;
    int offset = 0;    // first encoded dimension
    int width = 0;     // number of encoded dimensions
};

class SearchSpace {
public:
    SearchSpace() = default;
    // Parameters in the given order; conditions name other parameters by full key.
    // Throws std::invalid_argument naming a parameter with an empty domain or a bad condition.
    // `fixed` gives the values of non-searched parameters that constraints mention.
    explicit SearchSpace(std::vector<SearchParameter> params, std::vector<Constraint> constraints = {},
                         Assignment fixed = {});

    // The graph's searchable parameters, with conditions from the registry's ParamSpec::activeWhen
    // (a condition on a fixed parameter is decided here: statically inactive parameters are left out).
    static SearchSpace fromGraph(const ProgramGraph& g, const BlockRegistry& registry,
                                 const std::vector<std::string>& constraints = {});
    static SearchSpace fromProject(const Project& p, const BlockRegistry& registry);

    const std::vector<SearchParameter>& parameters() const { return params_; }
    const std::vector<Constraint>& constraints() const { return constraints_; }
    int dimension() const { return dims_; }
    bool empty() const { return params_.empty(); }
    const SearchParameter* parameter(const std::string& key) const;
    // Number of distinct points, or nullopt when a continuous parameter makes it infinite.
    std::optional<double> cardinality() const;

    bool active(const SearchParameter& p, const Assignment& a) const;

    Eigen::VectorXd encode(const Assignment& a) const;
    // Rounds, snaps one-hot/bits and repairs subset sizes; inactive parameters get inactiveValue.
    Assignment decode(const Eigen::VectorXd& x) const;
    // The canonical encoding of the point x decodes to (what the GP and duplicate checks use).
    Eigen::VectorXd snap(const Eigen::VectorXd& x) const { return encode(decode(x)); }

    // A uniformly drawn point (log-uniform for log-real) that satisfies the constraints; throws
    // std::runtime_error when 1000 draws in a row violate them.
    Assignment sample(Rng& rng) const;
    // The same, drawn straight in the encoding (fast path for large Monte Carlo samples).
    Eigen::VectorXd sampleEncoded(Rng& rng) const;
    bool satisfiesConstraints(const Assignment& a) const;
    bool satisfiesConstraints(const Eigen::VectorXd& x) const { return satisfiesConstraints(decode(x)); }

    Json toJson() const; // the journal header's description of the space

private:
    std::vector<SearchParameter> params_;
    std::vector<Constraint> constraints_;
    Assignment fixed_;
    bool simple_ = true; // no conditions and no constraints: Monte Carlo samples skip decoding
    int dims_ = 0;
};

// A parameter's numeric value for constraints (bool 0/1, numbers as is); throws ConstraintError.
double numericValue(const Value& v, const std::string& key);

} // namespace nesy
