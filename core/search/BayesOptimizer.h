#pragma once
// GP-UCB Bayesian optimisation over a mixed SearchSpace, driven by ask/tell. It minimises: the
// acquisition is mu - sqrt(beta_t) * sigma on the objective (equivalently UCB on its negation),
// maximised over a Monte Carlo sample of the space plus local refinement of the best candidates.
// Not thread-safe: the search engine's thread owns it.
#include "GaussianProcess.h"
#include "SearchSpace.h"
#include "TrialRecord.h"
#include <optional>
#include <set>
#include <vector>

namespace nesy {

enum class BatchMethod {
    Clustering,      // k-means over the high-UCB region, the best point of each cluster
    KrigingBeliever, // pick, pretend the GP mean was observed there, pick again
};

enum class FeasibilityHandling {
    PenaltyOnly,   // hard threshold only: the penalty enters the surrogate (published behaviour)
    LearnedModel,  // penalty recorded; a GP on the feasible/infeasible labels filters candidates
};

struct OptimizerSettings {
    int initialRandom = 5;
    int monteCarlo = 2000;          // candidates per suggestion (0: sized from the space like Mango)
    int refineStarts = 5;           // best candidates refined locally
    int refineSteps = 25;
    // beta_t = betaScale * 2 log(|D| t^2 pi^2 / (6 delta)) (GP-UCB schedule), or fixedBeta when set.
    double betaScale = 0.2;
    double delta = 0.1;
    std::optional<double> fixedBeta;
    // Probability of proposing a random point instead of the maximiser: starts at randomStart,
    // times randomDecay per proposal, never below randomFloor. randomProposals=false switches it off.
    bool randomProposals = true;
    double randomStart = 1.0, randomDecay = 0.9, randomFloor = 0.1;
    BatchMethod batch = BatchMethod::Clustering;
    double clusterTopFraction = 0.1; // share of the Monte Carlo sample forming the high-UCB region
    FeasibilityHandling feasibility = FeasibilityHandling::LearnedModel;
    double minFeasibleProbability = 0.5;
    GpFitSettings gp;
    std::uint64_t seed = 1;
};

struct Proposal {
    Assignment assignment;
    Eigen::VectorXd encoded;
    ProposalKind kind = ProposalKind::Initial;
};

class BayesOptimizer {
public:
    BayesOptimizer(SearchSpace space, OptimizerSettings settings);

    // Up to `count` new distinct points, never ones already told or pending (in flight). Fewer are
    // returned only when a finite space runs out of unseen points.
    std::vector<Proposal> ask(int count);
    // A finished trial (objective may be NaN for failed ones: they are only excluded from re-proposal).
    // `feasible` is false for infeasible candidates.
    void tell(const Assignment& a, double objective, bool feasible);
    // A proposal that will never be told (cancelled): it may be proposed again.
    void forget(const Assignment& a);

    // Ages the random-proposal probability as if `steps` proposals had been made (used on resume).
    void advanceRandomSchedule(int steps);

    int observations() const { return int(told_.size()); }
    const SearchSpace& space() const { return space_; }
    const OptimizerSettings& settings() const { return settings_; }
    double randomProbability() const { return randomProbability_; }
    // Probability that a point is feasible under the learned model (1 when nothing is infeasible yet).
    double feasibleProbability(const Assignment& a);

private:
    struct Observation {
        Eigen::VectorXd x;
        double y;
        bool feasible;
        bool failed;
    };
    bool seen(const Eigen::VectorXd& x) const;
    void markSeen(const Eigen::VectorXd& x);
    std::optional<Proposal> randomProposal(ProposalKind kind, int attempts);
    bool fitModels(); // false when no observation can train the surrogate yet
    std::vector<Proposal> ucbProposals(int count);
    double beta(int sampleSize) const;
    int monteCarloSize() const;
    Eigen::MatrixXd monteCarloSample(int n);
    Eigen::VectorXd feasibleProbabilities(const Eigen::MatrixXd& X) const;
    // sqrt(beta) sigma - mu, with -inf for seen or likely infeasible points.
    Eigen::VectorXd acquisition(const GaussianProcess& gp, const Eigen::MatrixXd& X, double sqrtBeta) const;
    Eigen::VectorXd refine(const GaussianProcess& gp, Eigen::VectorXd x, double score, double sqrtBeta,
                           double& bestScore);
    std::vector<int> clusterRepresentatives(const Eigen::MatrixXd& C, const Eigen::VectorXd& score, int k);
    Eigen::VectorXd perturb(const Eigen::VectorXd& x, double radius);

    SearchSpace space_;
    OptimizerSettings settings_;
    Rng rng_;
    std::vector<Observation> told_;
    std::vector<Eigen::VectorXd> pending_; // proposed, not yet told: fantasised at the GP mean
    std::set<std::vector<double>> seen_; // snapped encodings of told and pending points
    GaussianProcess gp_;
    std::optional<GpHyper> lastHyper_;
    std::optional<GaussianProcess> feasibilityGp_;
    std::optional<GpHyper> lastFeasHyper_;
    double randomProbability_;
    int ucbSteps_ = 0;
};

} // namespace nesy
