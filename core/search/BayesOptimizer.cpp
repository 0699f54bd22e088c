#include "BayesOptimizer.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace nesy {

namespace {

const double kMinusInf = -std::numeric_limits<double>::infinity();

std::vector<double> key(const Eigen::VectorXd& x)
{
    // Rounded so that the same canonical point always gives the same key.
    std::vector<double> k(static_cast<std::size_t>(x.size()));
    for (Eigen::Index i = 0; i < x.size(); ++i)
        k[std::size_t(i)] = std::round(x[i] * 1e12) / 1e12;
    return k;
}

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

std::vector<int> topIndices(const Eigen::VectorXd& score, int n)
{
    std::vector<int> idx(static_cast<std::size_t>(score.size()));
    std::iota(idx.begin(), idx.end(), 0);
    n = std::min<int>(n, int(idx.size()));
    std::partial_sort(idx.begin(), idx.begin() + n, idx.end(), [&](int a, int b) {
        return score[a] > score[b] || (score[a] == score[b] && a < b);
    });
    idx.resize(std::size_t(n));
    return idx;
}

bool isNumericKind(DomainKind k)
{
    return k == DomainKind::Real || k == DomainKind::LogReal || k == DomainKind::Integer || k == DomainKind::Ordinal;
}

} // namespace

BayesOptimizer::BayesOptimizer(SearchSpace space, OptimizerSettings settings)
    : space_(std::move(space)), settings_(std::move(settings)), rng_(settings_.seed),
      randomProbability_(settings_.randomStart)
{
}

bool BayesOptimizer::seen(const Eigen::VectorXd& x) const { return seen_.count(key(x)) > 0; }
void BayesOptimizer::markSeen(const Eigen::VectorXd& x) { seen_.insert(key(x)); }

std::vector<Proposal> BayesOptimizer::ask(int count)
{
    std::vector<Proposal> out;
    int ucbSlots = 0;
    for (int i = 0; i < count; ++i) {
        int proposedSoFar = int(told_.size() + pending_.size() + out.size()) + ucbSlots;
        std::optional<Proposal> p;
        if (proposedSoFar < settings_.initialRandom) {
            p = randomProposal(ProposalKind::Initial, 1000);
        } else {
            bool coin = false;
            if (settings_.randomProposals) {
                coin = std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < randomProbability_;
                randomProbability_ = std::max(settings_.randomFloor, randomProbability_ * settings_.randomDecay);
            }
            if (!coin) {
                ++ucbSlots;
                continue;
            }
            p = randomProposal(ProposalKind::Random, 1000);
        }
        if (!p)
            break; // a finite space with nothing unseen left
        markSeen(p->encoded);
        pending_.push_back(p->encoded);
        out.push_back(std::move(*p));
    }
    if (ucbSlots > 0)
        for (auto& p : ucbProposals(ucbSlots))
            out.push_back(std::move(p)); // ucbProposals marks them seen and pending
    return out;
}

void BayesOptimizer::tell(const Assignment& a, double objective, bool feasible)
{
    Eigen::VectorXd x = space_.encode(a);
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Eigen::VectorXd& p) { return key(p) == key(x); });
    if (it != pending_.end())
        pending_.erase(it);
    markSeen(x);
    told_.push_back({x, objective, feasible, !std::isfinite(objective)});
}

void BayesOptimizer::advanceRandomSchedule(int steps)
{
    for (int i = 0; i < steps && settings_.randomProposals; ++i)
        randomProbability_ = std::max(settings_.randomFloor, randomProbability_ * settings_.randomDecay);
}

void BayesOptimizer::forget(const Assignment& a)
{
    Eigen::VectorXd x = space_.encode(a);
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Eigen::VectorXd& p) { return key(p) == key(x); });
    if (it != pending_.end()) {
        pending_.erase(it);
        seen_.erase(key(x));
    }
}

std::optional<Proposal> BayesOptimizer::randomProposal(ProposalKind kind, int attempts)
{
    // Random points also avoid what the feasibility model expects to overflow, when it can.
    std::optional<Eigen::VectorXd> fallback;
    for (int i = 0; i < attempts; ++i) {
        Eigen::VectorXd x = space_.sampleEncoded(rng_);
        if (seen(x))
            continue;
        if (feasibilityGp_) {
            Eigen::MatrixXd row = x.transpose();
            if (feasibleProbabilities(row)[0] < settings_.minFeasibleProbability) {
                if (!fallback)
                    fallback = x;
                continue;
            }
        }
        return Proposal{space_.decode(x), x, kind};
    }
    if (fallback)
        return Proposal{space_.decode(*fallback), *fallback, kind};
    return std::nullopt;
}

double BayesOptimizer::feasibleProbability(const Assignment& a)
{
    if (!feasibilityGp_)
        return 1.0;
    Eigen::MatrixXd row = space_.encode(a).transpose();
    return feasibleProbabilities(row)[0];
}

Eigen::VectorXd BayesOptimizer::feasibleProbabilities(const Eigen::MatrixXd& X) const
{
    if (!feasibilityGp_)
        return Eigen::VectorXd::Ones(X.rows());
    Eigen::VectorXd mean, sd;
    feasibilityGp_->predict(X, mean, sd);
    Eigen::VectorXd p(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        p[i] = normalCdf(mean[i] / std::max(sd[i], 1e-6));
    return p;
}

bool BayesOptimizer::fitModels()
{
    std::vector<const Observation*> usable;
    double worstFeasible = kMinusInf;
    int infeasible = 0;
    for (const auto& o : told_) {
        if (o.failed)
            continue;
        usable.push_back(&o);
        if (o.feasible)
            worstFeasible = std::max(worstFeasible, o.y);
        else
            ++infeasible;
    }
    if (usable.empty())
        return false;
    const bool learned = settings_.feasibility == FeasibilityHandling::LearnedModel;
    Eigen::MatrixXd X(Eigen::Index(usable.size()), space_.dimension());
    Eigen::VectorXd y(X.rows()), label(X.rows());
    for (std::size_t i = 0; i < usable.size(); ++i) {
        X.row(Eigen::Index(i)) = usable[i]->x.transpose();
        // With a feasibility model the penalty need not distort the surrogate: an infeasible point
        // counts as the worst feasible one, and the classifier keeps proposals away from it.
        bool clip = learned && !usable[i]->feasible && worstFeasible > kMinusInf;
        y[Eigen::Index(i)] = clip ? worstFeasible : usable[i]->y;
        label[Eigen::Index(i)] = usable[i]->feasible ? 1.0 : -1.0;
    }
    gp_.fit(X, y, rng_, settings_.gp, lastHyper_ ? &*lastHyper_ : nullptr);
    lastHyper_ = gp_.hyper();

    feasibilityGp_.reset();
    if (learned && infeasible > 0 && infeasible < int(usable.size())) {
        GaussianProcess classifier;
        GpFitSettings fs = settings_.gp;
        fs.starts = 1;
        classifier.fit(X, label, rng_, fs, lastFeasHyper_ ? &*lastFeasHyper_ : nullptr);
        lastFeasHyper_ = classifier.hyper();
        feasibilityGp_ = std::move(classifier);
    }
    return true;
}

int BayesOptimizer::monteCarloSize() const
{
    if (settings_.monteCarlo > 0)
        return settings_.monteCarlo;
    // The reference library's sizing: the product of the discrete sizes, clamped to 50k..500k.
    double n = 1;
    for (const auto& p : space_.parameters())
        if (auto c = p.domain.cardinality())
            n *= *c;
    return int(std::clamp(n, 50000.0, 500000.0));
}

double BayesOptimizer::beta(int sampleSize) const
{
    if (settings_.fixedBeta)
        return *settings_.fixedBeta;
    double t = ucbSteps_ + 1;
    double d = sampleSize;
    if (auto c = space_.cardinality())
        d = std::min(d, *c);
    return settings_.betaScale * 2 * std::log(std::max(d, 1.0) * t * t * M_PI * M_PI / (6 * settings_.delta));
}

Eigen::MatrixXd BayesOptimizer::monteCarloSample(int n)
{
    // Most of the sample covers the whole space; a tenth perturbs the best points seen so far, so
    // the acquisition also looks closely where the surrogate is already good.
    std::vector<const Observation*> good;
    for (const auto& o : told_)
        if (!o.failed && o.feasible)
            good.push_back(&o);
    std::sort(good.begin(), good.end(), [](auto* a, auto* b) { return a->y < b->y; });
    good.resize(std::min<std::size_t>(good.size(), 5));
    int local = good.empty() ? 0 : n / 10;
    Eigen::MatrixXd C(n, space_.dimension());
    for (int i = 0; i < n - local; ++i)
        C.row(i) = space_.sampleEncoded(rng_).transpose();
    for (int i = n - local; i < n; ++i) {
        double radius = std::uniform_real_distribution<double>(0.01, 0.2)(rng_);
        C.row(i) = perturb(good[std::size_t(i) % good.size()]->x, radius).transpose();
    }
    return C;
}

Eigen::VectorXd BayesOptimizer::perturb(const Eigen::VectorXd& x, double radius)
{
    Eigen::VectorXd y = x;
    std::normal_distribution<double> gauss(0.0, radius);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto& params = space_.parameters();
    for (const auto& p : params) {
        if (isNumericKind(p.domain.kind)) {
            y[p.offset] = std::clamp(y[p.offset] + gauss(rng_), 0.0, 1.0);
        } else if (unit(rng_) < 1.0 / double(params.size())) {
            // A discrete change: another category, a toggled bit or switch.
            int j = std::uniform_int_distribution<int>(0, p.width - 1)(rng_);
            if (p.domain.kind == DomainKind::Categorical)
                y.segment(p.offset, p.width).setZero();
            y[p.offset + j] = y[p.offset + j] >= 0.5 ? 0.0 : 1.0;
        }
    }
    if (space_.dimension() > 0 && (y - x).isZero()) { // always move somewhere
        const auto& p = params[std::uniform_int_distribution<std::size_t>(0, params.size() - 1)(rng_)];
        if (isNumericKind(p.domain.kind))
            y[p.offset] = std::clamp(y[p.offset] + (unit(rng_) < 0.5 ? -1 : 1) * std::max(radius, 0.05), 0.0, 1.0);
        else {
            int j = std::uniform_int_distribution<int>(0, p.width - 1)(rng_);
            if (p.domain.kind == DomainKind::Categorical)
                y.segment(p.offset, p.width).setZero();
            y[p.offset + j] = y[p.offset + j] >= 0.5 ? 0.0 : 1.0;
        }
    }
    return space_.snap(y);
}

Eigen::VectorXd BayesOptimizer::acquisition(const GaussianProcess& gp, const Eigen::MatrixXd& X, double sqrtBeta) const
{
    Eigen::VectorXd mean, sd;
    gp.predict(X, mean, sd);
    Eigen::VectorXd score = sqrtBeta * sd - mean;
    Eigen::VectorXd feasible = feasibleProbabilities(X);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        Eigen::VectorXd x = X.row(i).transpose();
        if (seen(x) || feasible[i] < settings_.minFeasibleProbability)
            score[i] = kMinusInf;
    }
    return score;
}

Eigen::VectorXd BayesOptimizer::refine(const GaussianProcess& gp, Eigen::VectorXd x, double score, double sqrtBeta,
                                       double& bestScore)
{
    // Stochastic pattern search on the acquisition: a few perturbations per step, the radius halving
    // whenever a step brings nothing.
    const int perStep = 8;
    double radius = 0.05;
    bestScore = score;
    for (int step = 0; step < settings_.refineSteps && radius > 1e-5; ++step) {
        Eigen::MatrixXd P(perStep, x.size());
        for (int i = 0; i < perStep; ++i)
            P.row(i) = perturb(x, radius).transpose();
        Eigen::VectorXd s = acquisition(gp, P, sqrtBeta);
        Eigen::Index best = 0;
        double top = s.maxCoeff(&best);
        Eigen::VectorXd candidate = P.row(best).transpose();
        if (top > bestScore && space_.satisfiesConstraints(candidate)) {
            bestScore = top;
            x = candidate;
        } else {
            radius *= 0.5;
        }
    }
    return x;
}

std::vector<int> BayesOptimizer::clusterRepresentatives(const Eigen::MatrixXd& C, const Eigen::VectorXd& score, int k)
{
    // k-means (k-means++ seeding) over the high-acquisition region; each cluster's best point.
    int regionSize = std::max(k * 5, int(double(C.rows()) * settings_.clusterTopFraction));
    std::vector<int> region;
    for (int i : topIndices(score, regionSize))
        if (score[i] > kMinusInf)
            region.push_back(i);
    if (int(region.size()) <= k)
        return region;
    const int n = int(region.size());
    Eigen::MatrixXd R(n, C.cols());
    for (int i = 0; i < n; ++i)
        R.row(i) = C.row(region[std::size_t(i)]);
    Eigen::MatrixXd centres(k, C.cols());
    centres.row(0) = R.row(0); // the best point seeds the first cluster
    Eigen::VectorXd d2 = (R.rowwise() - centres.row(0)).rowwise().squaredNorm();
    for (int c = 1; c < k; ++c) {
        std::discrete_distribution<int> pick(d2.data(), d2.data() + n);
        int chosen = d2.sum() > 0 ? pick(rng_) : c;
        centres.row(c) = R.row(chosen);
        d2 = d2.cwiseMin((R.rowwise() - centres.row(c)).rowwise().squaredNorm());
    }
    std::vector<int> assign(std::size_t(n), 0);
    for (int iter = 0; iter < 15; ++iter) {
        for (int i = 0; i < n; ++i) {
            Eigen::Index c = 0;
            (centres.rowwise() - R.row(i)).rowwise().squaredNorm().minCoeff(&c);
            assign[std::size_t(i)] = int(c);
        }
        Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, C.cols());
        Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
        for (int i = 0; i < n; ++i) {
            sums.row(assign[std::size_t(i)]) += R.row(i);
            counts[assign[std::size_t(i)]] += 1;
        }
        for (int c = 0; c < k; ++c)
            if (counts[c] > 0)
                centres.row(c) = sums.row(c) / counts[c];
    }
    std::vector<int> best(std::size_t(k), -1);
    for (int i = 0; i < n; ++i) { // region is sorted best first, so the first member wins
        int c = assign[std::size_t(i)];
        if (best[std::size_t(c)] < 0)
            best[std::size_t(c)] = region[std::size_t(i)];
    }
    std::vector<int> out;
    for (int b : best)
        if (b >= 0)
            out.push_back(b);
    // Empty clusters: fill with the next best region points.
    for (int i : region) {
        if (int(out.size()) >= k)
            break;
        if (std::find(out.begin(), out.end(), i) == out.end())
            out.push_back(i);
    }
    return out;
}

std::vector<Proposal> BayesOptimizer::ucbProposals(int count)
{
    std::vector<Proposal> out;
    if (!fitModels()) {
        for (int i = 0; i < count; ++i)
            if (auto p = randomProposal(ProposalKind::Random, 1000)) {
                markSeen(p->encoded);
                pending_.push_back(p->encoded);
                out.push_back(std::move(*p));
            }
        return out;
    }
    const int m = monteCarloSize();
    Eigen::MatrixXd C = monteCarloSample(m);
    const double sqrtBeta = std::sqrt(std::max(0.0, beta(m)));
    ++ucbSteps_;

    // The surrogate also believes its own mean at points in flight (kriging believer), so parallel
    // proposals spread out instead of piling onto one optimum.
    GaussianProcess believer = gp_;
    auto believe = [&](const std::vector<Eigen::VectorXd>& extra) {
        if (extra.empty())
            return;
        Eigen::MatrixXd Xp(Eigen::Index(extra.size()), space_.dimension());
        for (std::size_t i = 0; i < extra.size(); ++i)
            Xp.row(Eigen::Index(i)) = extra[i].transpose();
        Eigen::VectorXd mp, sp;
        believer.predict(Xp, mp, sp);
        // Rebuild from the real data plus the beliefs with the fitted hyperparameters.
        std::vector<Eigen::VectorXd> xs;
        std::vector<double> ys;
        double worstFeasible = kMinusInf;
        for (const auto& o : told_)
            if (!o.failed && o.feasible)
                worstFeasible = std::max(worstFeasible, o.y);
        for (const auto& o : told_) {
            if (o.failed)
                continue;
            bool clip = settings_.feasibility == FeasibilityHandling::LearnedModel && !o.feasible &&
                        worstFeasible > kMinusInf;
            xs.push_back(o.x);
            ys.push_back(clip ? worstFeasible : o.y);
        }
        for (std::size_t i = 0; i < extra.size(); ++i) {
            xs.push_back(extra[i]);
            ys.push_back(mp[Eigen::Index(i)]);
        }
        Eigen::MatrixXd X(Eigen::Index(xs.size()), space_.dimension());
        Eigen::VectorXd y(X.rows());
        for (std::size_t i = 0; i < xs.size(); ++i) {
            X.row(Eigen::Index(i)) = xs[i].transpose();
            y[Eigen::Index(i)] = ys[i];
        }
        believer.condition(X, y, gp_.hyper());
    };
    std::vector<Eigen::VectorXd> beliefs = pending_;
    believe(beliefs);

    auto accept = [&](Eigen::VectorXd x) {
        markSeen(x);
        pending_.push_back(x);
        beliefs.push_back(x);
        out.push_back(Proposal{space_.decode(x), x, ProposalKind::Ucb});
    };
    auto bestOf = [&](const Eigen::VectorXd& score, const std::vector<int>& starts) -> std::optional<Eigen::VectorXd> {
        std::optional<Eigen::VectorXd> best;
        double bestScore = kMinusInf;
        for (int i : starts) {
            if (score[i] == kMinusInf)
                continue;
            double s = 0;
            Eigen::VectorXd x = refine(believer, C.row(i).transpose(), score[i], sqrtBeta, s);
            if (s > bestScore && !seen(x)) {
                bestScore = s;
                best = x;
            }
        }
        return best;
    };

    if (count > 1 && settings_.batch == BatchMethod::Clustering) {
        Eigen::VectorXd score = acquisition(believer, C, sqrtBeta);
        for (int i : clusterRepresentatives(C, score, count)) {
            double s = 0;
            Eigen::VectorXd x = refine(believer, C.row(i).transpose(), score[i], sqrtBeta, s);
            if (seen(x))
                x = C.row(i).transpose();
            if (!seen(x))
                accept(x);
        }
    } else {
        for (int b = 0; b < count; ++b) {
            if (b > 0)
                believe(beliefs);
            Eigen::VectorXd score = acquisition(believer, C, sqrtBeta);
            if (auto x = bestOf(score, topIndices(score, settings_.refineStarts)))
                accept(*x);
            else
                break;
        }
    }
    // Whatever the acquisition could not fill (every candidate seen or infeasible) goes random.
    while (int(out.size()) < count) {
        auto p = randomProposal(ProposalKind::Random, 1000);
        if (!p)
            break;
        markSeen(p->encoded);
        pending_.push_back(p->encoded);
        out.push_back(std::move(*p));
    }
    return out;
}

} // namespace nesy
