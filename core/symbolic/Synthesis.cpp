#include "Synthesis.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <stdexcept>

namespace nesy::symbolic {

namespace {

using Rows = std::vector<int>;

struct Term {
    Expr expr;
    Eigen::VectorXd values;
};

struct Predicate {
    Expr expr;
    std::vector<std::uint8_t> truth;
};

// Terms the predicates compare, deduplicated by their values on the data.
std::vector<Term> buildTerms(const NamedColumns& inputs, const SynthesisSettings& s)
{
    std::vector<Term> terms;
    std::set<std::vector<double>> seen;
    auto add = [&](Expr e, Eigen::VectorXd v) {
        std::vector<double> key(v.data(), v.data() + v.size());
        if (seen.insert(std::move(key)).second) terms.push_back({std::move(e), std::move(v)});
    };
    for (const auto& [name, col] : inputs) add(Expr::input(name), col);
    if (s.arithmetic) {
        const std::vector<Term> base = terms; // `add` grows `terms`
        for (std::size_t i = 0; i < base.size(); ++i) {
            add(Expr::unary(Op::Abs, base[i].expr), base[i].values.cwiseAbs());
            for (std::size_t j = i + 1; j < base.size(); ++j) {
                const Term& a = base[i];
                const Term& b = base[j];
                add(Expr::binary(Op::Subtract, a.expr, b.expr), a.values - b.values);
                add(Expr::binary(Op::Add, a.expr, b.expr), a.values + b.values);
                add(Expr::binary(Op::Multiply, a.expr, b.expr), a.values.cwiseProduct(b.values));
            }
        }
    }
    return terms;
}

// Midpoints between neighbouring distinct values, at most `count` of them, spread by quantile.
std::vector<double> candidateThresholds(const Eigen::VectorXd& v, int count)
{
    std::vector<double> d(v.data(), v.data() + v.size());
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    std::vector<double> t;
    if (d.size() < 2) return t;
    const std::size_t gaps = d.size() - 1;
    std::set<std::size_t> picks;
    if (gaps <= static_cast<std::size_t>(count)) {
        for (std::size_t i = 1; i <= gaps; ++i) picks.insert(i);
    } else {
        for (int k = 1; k <= count; ++k)
            picks.insert(std::clamp<std::size_t>(
                static_cast<std::size_t>(std::lround(static_cast<double>(k) * static_cast<double>(d.size()) /
                                                     static_cast<double>(count + 1))),
                1, gaps));
    }
    for (std::size_t i : picks) t.push_back(0.5 * (d[i - 1] + d[i]));
    return t;
}

std::vector<Predicate> buildPredicates(const NamedColumns& inputs, const SynthesisSettings& s)
{
    std::vector<Term> terms = buildTerms(inputs, s);
    std::vector<Predicate> preds;
    // Truth vectors as byte strings: std::string compares them as std::vector<uint8_t> would,
    // without GCC 12's false -Wstringop-overread on the vector's three-way comparison.
    std::set<std::string> seen;
    auto bytes = [](const std::vector<std::uint8_t>& v) { return std::string(v.begin(), v.end()); };
    auto add = [&](Expr e, const Eigen::VectorXd& lhs, const Eigen::VectorXd& rhs) {
        std::vector<std::uint8_t> truth(static_cast<std::size_t>(lhs.size()));
        bool any = false, all = true;
        for (Eigen::Index i = 0; i < lhs.size(); ++i) {
            truth[static_cast<std::size_t>(i)] = lhs[i] > rhs[i];
            any |= truth[static_cast<std::size_t>(i)] != 0;
            all &= truth[static_cast<std::size_t>(i)] != 0;
        }
        if (!any || all) return; // splits nothing
        // p and (not p) split the same way with the branches swapped: keep one.
        std::vector<std::uint8_t> negated(truth.size());
        for (std::size_t i = 0; i < truth.size(); ++i) negated[i] = !truth[i];
        if (seen.count(bytes(truth)) || seen.count(bytes(negated))) return;
        seen.insert(bytes(truth));
        preds.push_back({std::move(e), std::move(truth)});
    };
    for (const Term& t : terms)
        for (double th : candidateThresholds(t.values, s.thresholdsPerInput))
            add(Expr::binary(Op::Greater, t.expr, Expr::constant(th)), t.values,
                Eigen::VectorXd::Constant(t.values.size(), th));
    if (s.compareInputs) {
        std::vector<std::pair<std::string, const Eigen::VectorXd*>> cols;
        for (const auto& [name, col] : inputs) cols.emplace_back(name, &col);
        for (std::size_t i = 0; i < cols.size(); ++i)
            for (std::size_t j = i + 1; j < cols.size(); ++j)
                add(Expr::binary(Op::Greater, Expr::input(cols[i].first), Expr::input(cols[j].first)),
                    *cols[i].second, *cols[j].second);
    }
    return preds;
}

struct Candidate {
    double cost = 0.0; // weighted error + complexity
    Expr program = Expr::constant(0);
};

struct RowsHash {
    std::size_t operator()(const Rows& rows) const
    {
        std::uint64_t h = 1469598103934665603ull;
        for (int r : rows) h = (h ^ static_cast<std::uint64_t>(r)) * 1099511628211ull;
        return static_cast<std::size_t>(h);
    }
};

// Exact best tree per (depth, row set), with equivalent splits pruned.
class TreeSearch {
public:
    TreeSearch(const std::vector<Predicate>& preds, const std::vector<int>& labels, const std::vector<int>& classes,
               double complexityWeight, SynthesisResult& stats)
        : preds_(preds), classes_(classes), lambda_(complexityWeight), stats_(stats)
    {
        for (int label : labels)
            labelIndex_.push_back(static_cast<int>(std::lower_bound(classes.begin(), classes.end(), label) - classes.begin()));
    }

    void setWeights(std::vector<double> w)
    {
        weights_ = std::move(w);
        for (auto& m : memo_) m.clear();
    }

    Candidate best(int depth, const Rows& rows)
    {
        if (depth == 0) return leaf(histogram(rows));
        if (memo_.size() <= static_cast<std::size_t>(depth)) memo_.resize(static_cast<std::size_t>(depth) + 1);
        auto& memo = memo_[static_cast<std::size_t>(depth)];
        if (auto it = memo.find(rows); it != memo.end()) return it->second;
        Candidate result = depth == 1 ? bestStump(rows) : bestSplit(depth, rows);
        memo.emplace(rows, result);
        return result;
    }

private:
    using Histogram = std::vector<double>; // weight per class

    Histogram histogram(const Rows& rows) const
    {
        Histogram h(classes_.size(), 0.0);
        for (int r : rows) h[static_cast<std::size_t>(labelIndex_[static_cast<std::size_t>(r)])] += weights_[static_cast<std::size_t>(r)];
        return h;
    }

    // The majority class (ties: the smallest) and the cost of answering it.
    Candidate leaf(const Histogram& h) const
    {
        std::size_t bestClass = 0;
        double total = 0.0;
        for (std::size_t c = 0; c < h.size(); ++c) {
            total += h[c];
            if (h[c] > h[bestClass] + 1e-15) bestClass = c;
        }
        return {total - h[bestClass] + lambda_, Expr::constant(classes_[bestClass])};
    }

    bool worthSplitting(const Candidate& leafResult) const { return leafResult.cost > 3 * lambda_ + 1e-15; }

    // Depth 1: both children are leaves, so each split is scored from class histograms in one pass,
    // without materialising its row sets. Equivalent splits are recognised by a hash of the rows
    // they send to the then-branch (the count guards against collisions further).
    Candidate bestStump(const Rows& rows)
    {
        const Histogram all = histogram(rows);
        Candidate result = leaf(all);
        if (!worthSplitting(result)) return result;
        std::unordered_set<std::uint64_t> splitsTried;
        const Predicate* bestPredicate = nullptr;
        Histogram yes(all.size());
        for (const Predicate& p : preds_) {
            std::fill(yes.begin(), yes.end(), 0.0);
            std::uint64_t hashYes = 1469598103934665603ull, hashNo = hashYes;
            std::size_t countYes = 0;
            for (int r : rows) {
                const auto ur = static_cast<std::uint64_t>(r);
                if (p.truth[static_cast<std::size_t>(r)]) {
                    yes[static_cast<std::size_t>(labelIndex_[static_cast<std::size_t>(r)])] += weights_[static_cast<std::size_t>(r)];
                    hashYes = (hashYes ^ ur) * 1099511628211ull;
                    ++countYes;
                } else {
                    hashNo = (hashNo ^ ur) * 1099511628211ull;
                }
            }
            if (countYes == 0 || countYes == rows.size()) continue;
            ++stats_.candidatesConsidered;
            const std::uint64_t keyYes = hashYes ^ (countYes * 0x9e3779b97f4a7c15ull);
            const std::uint64_t keyNo = hashNo ^ ((rows.size() - countYes) * 0x9e3779b97f4a7c15ull);
            if (!splitsTried.insert(keyYes).second || splitsTried.count(keyNo)) {
                ++stats_.equivalentPruned;
                continue;
            }
            splitsTried.insert(keyNo);
            Histogram no(all.size());
            for (std::size_t c = 0; c < all.size(); ++c) no[c] = all[c] - yes[c];
            const double cost = lambda_ * (1 + p.expr.size()) + leaf(yes).cost + leaf(no).cost;
            if (cost < result.cost - 1e-12) {
                result.cost = cost;
                bestPredicate = &p;
            }
        }
        if (bestPredicate) {
            Rows yesRows, noRows;
            for (int r : rows) (bestPredicate->truth[static_cast<std::size_t>(r)] ? yesRows : noRows).push_back(r);
            result.program = Expr::ifThenElse(bestPredicate->expr, leaf(histogram(yesRows)).program,
                                              leaf(histogram(noRows)).program);
        }
        return result;
    }

    Candidate bestSplit(int depth, const Rows& rows)
    {
        Candidate result = leaf(histogram(rows));
        if (!worthSplitting(result)) return result;
        std::unordered_set<Rows, RowsHash> splitsTried;
        for (const Predicate& p : preds_) {
            Rows yes, no;
            for (int r : rows) (p.truth[static_cast<std::size_t>(r)] ? yes : no).push_back(r);
            if (yes.empty() || no.empty()) continue;
            ++stats_.candidatesConsidered;
            // The same partition of these rows (either way round) was scored already.
            if (!splitsTried.insert(yes).second || splitsTried.count(no)) {
                ++stats_.equivalentPruned;
                continue;
            }
            splitsTried.insert(no);
            const double own = lambda_ * (1 + p.expr.size());
            if (own + 2 * lambda_ >= result.cost) continue;
            Candidate a = best(depth - 1, yes);
            if (own + a.cost + lambda_ >= result.cost) continue;
            Candidate b = best(depth - 1, no);
            const double cost = own + a.cost + b.cost;
            if (cost < result.cost - 1e-12) result = {cost, Expr::ifThenElse(p.expr, a.program, b.program)};
        }
        return result;
    }

    const std::vector<Predicate>& preds_;
    const std::vector<int>& classes_;
    std::vector<int> labelIndex_; // per row: position of its label in classes_
    double lambda_;
    SynthesisResult& stats_;
    std::vector<double> weights_;
    std::vector<std::unordered_map<Rows, Candidate, RowsHash>> memo_; // per depth >= 1
};

void validate(const NamedColumns& inputs, const std::vector<int>& labels, const SynthesisSettings& s)
{
    if (labels.empty()) throw std::invalid_argument("synthesis: no labelled rows");
    if (inputs.empty()) throw std::invalid_argument("synthesis: no inputs");
    for (const auto& [name, col] : inputs)
        if (static_cast<std::size_t>(col.size()) != labels.size())
            throw std::invalid_argument("synthesis: input '" + name + "' has " + std::to_string(col.size()) +
                                        " rows but there are " + std::to_string(labels.size()) + " labels");
    if (s.maxDepth < 0 || s.maxDepth > 6) throw std::invalid_argument("synthesis: maxDepth must be 0..6");
    if (s.maxTrees < 1 || s.maxTrees > 15) throw std::invalid_argument("synthesis: maxTrees must be 1..15");
    if (s.thresholdsPerInput < 1) throw std::invalid_argument("synthesis: thresholdsPerInput must be >= 1");
    if (s.complexityWeight < 0) throw std::invalid_argument("synthesis: complexityWeight must be >= 0");
}

} // namespace

SynthesisResult synthesizeDecisionProgram(const NamedColumns& inputs, const std::vector<int>& labels,
                                          const SynthesisSettings& settings)
{
    validate(inputs, labels, settings);
    SynthesisResult result;
    const std::vector<Predicate> preds = buildPredicates(inputs, settings);
    result.predicatePool = static_cast<int>(preds.size());
    std::set<int> classSet(labels.begin(), labels.end());
    const std::vector<int> classes(classSet.begin(), classSet.end());
    const std::size_t n = labels.size();

    Rows all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = static_cast<int>(i);
    TreeSearch search(preds, labels, classes, settings.complexityWeight, result);

    // Later trees are synthesised with more weight on the rows the vote so far gets wrong; the
    // number of trees kept is the prefix with the best objective.
    std::vector<double> weights(n, 1.0 / static_cast<double>(n));
    DecisionProgram program;
    double bestObjective = INFINITY;
    for (int t = 0; t < settings.maxTrees; ++t) {
        search.setWeights(weights);
        program.trees.push_back(simplify(search.best(settings.maxDepth, all).program));
        double error = decisionError(program, inputs, labels);
        double objective = error + settings.complexityWeight * program.size();
        if (objective < bestObjective - 1e-12) {
            bestObjective = objective;
            result.program = program;
            result.error = error;
            result.objective = objective;
        }
        std::vector<int> d = program.decide(inputs);
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            if (d[i] != labels[i]) weights[i] *= 3.0;
            sum += weights[i];
        }
        for (double& w : weights) w /= sum;
    }
    return result;
}

} // namespace nesy::symbolic
