#include "DecisionProgram.h"
#include <cmath>
#include <map>

namespace nesy::symbolic {

std::vector<int> DecisionProgram::decide(const NamedColumns& inputs) const
{
    if (trees.empty()) throw ExpressionError("a decision program needs at least one tree");
    std::vector<Eigen::VectorXd> outputs;
    for (const Expr& t : trees) outputs.push_back(evaluate(t, inputs));
    const Eigen::Index n = outputs.front().size();
    std::vector<int> decisions(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        std::map<int, int> votes;
        int best = static_cast<int>(std::lround(outputs[0][i]));
        for (const auto& out : outputs) ++votes[static_cast<int>(std::lround(out[i]))];
        for (const auto& out : outputs) { // earliest tree wins a tie
            int d = static_cast<int>(std::lround(out[i]));
            if (votes[d] > votes[best]) best = d;
        }
        decisions[static_cast<std::size_t>(i)] = best;
    }
    return decisions;
}

int DecisionProgram::size() const
{
    int s = 0;
    for (const Expr& t : trees) s += t.size();
    return s;
}

std::string DecisionProgram::text() const
{
    if (trees.size() == 1) return toText(trees.front());
    std::string s = "vote(";
    for (std::size_t i = 0; i < trees.size(); ++i) s += (i ? "; " : "") + toText(trees[i]);
    return s + ")";
}

double decisionError(const DecisionProgram& program, const NamedColumns& inputs, const std::vector<int>& labels)
{
    std::vector<int> d = program.decide(inputs);
    if (d.size() != labels.size())
        throw ExpressionError("decision program: " + std::to_string(labels.size()) + " labels for " +
                              std::to_string(d.size()) + " input rows");
    if (d.empty()) return 0.0;
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < d.size(); ++i) wrong += d[i] != labels[i];
    return static_cast<double>(wrong) / static_cast<double>(d.size());
}

DecisionProgram instantiateTemplate(const std::string& templateText, const std::map<std::string, double>& constants)
{
    Expr e = substitute(parseExpression(templateText), constants);
    if (e.type() != Type::Number)
        throw ExpressionError("the template '" + templateText + "' must compute a number (a class), not a condition");
    return DecisionProgram{{e}};
}

NamedColumns indexedColumns(const Eigen::MatrixXd& rows, const std::string& prefix)
{
    NamedColumns c;
    for (Eigen::Index j = 0; j < rows.cols(); ++j) c[prefix + std::to_string(j)] = rows.col(j);
    return c;
}

} // namespace nesy::symbolic
