#include "DecisionC.h"
#include "codegen/CSource.h"
#include <algorithm>
#include <sstream>
#include <string_view>
#include <stdexcept>

namespace nesy::codegen {

namespace {

using symbolic::Expr;
using symbolic::Op;

const char* relation(Op op)
{
    switch (op) {
    case Op::Less: return " < ";
    case Op::LessEqual: return " <= ";
    case Op::Greater: return " > ";
    case Op::GreaterEqual: return " >= ";
    case Op::Equal: return " == ";
    case Op::Add: return " + ";
    case Op::Subtract: return " - ";
    case Op::Multiply: return " * ";
    default: return nullptr;
    }
}

bool uses(const Expr& e, Op op)
{
    if (e.op() == op)
        return true;
    return std::any_of(e.operands().begin(), e.operands().end(), [&](const Expr& o) { return uses(o, op); });
}

// The decision language's operators with the engine's semantics (core/symbolic/Expression.cpp);
// only those a tree uses (unused static functions would warn).
std::string helpers(const DecisionStage& stage)
{
    auto any = [&](Op op) {
        return std::any_of(stage.trees.begin(), stage.trees.end(), [&](const Expr& t) { return uses(t, op); });
    };
    std::string s;
    if (any(Op::Divide))
        s += "static double nesy_div(double a, double b) { return b == 0.0 ? 0.0 : a / b; }\n";
    if (any(Op::Min))
        s += "static double nesy_min(double a, double b) { return b < a ? b : a; }\n";
    if (any(Op::Max))
        s += "static double nesy_max(double a, double b) { return a < b ? b : a; }\n";
    return s;
}

// Concatenation by append: GCC 12 warns falsely (-Wrestrict) on "(" + std::string.
std::string join(std::initializer_list<std::string_view> parts)
{
    std::string s;
    for (std::string_view p : parts)
        s.append(p);
    return s;
}

} // namespace

std::string expressionToC(const Expr& e, const std::vector<std::string>& inputs)
{
    const auto& o = e.operands();
    auto c = [&](int i) { return expressionToC(o[std::size_t(i)], inputs); };
    switch (e.op()) {
    case Op::Constant: {
        const std::string text = doubleLiteral(e.value());
        return e.value() < 0 ? join({"(", text, ")"}) : text;
    }
    case Op::Input: {
        auto it = std::find(inputs.begin(), inputs.end(), e.name());
        if (it == inputs.end())
            throw std::invalid_argument(join({"decision program reads \"", e.name(), "\", which is not a score"}));
        return join({"(double)scores[", std::to_string(it - inputs.begin()), "]"});
    }
    case Op::Not: return join({"(!", c(0), ")"});
    case Op::And: return join({"(", c(0), " && ", c(1), ")"});
    case Op::Or: return join({"(", c(0), " || ", c(1), ")"});
    case Op::Negate: return join({"(-", c(0), ")"});
    case Op::Abs: return join({"fabs(", c(0), ")"});
    case Op::Divide: return join({"nesy_div(", c(0), ", ", c(1), ")"});
    case Op::Min: return join({"nesy_min(", c(0), ", ", c(1), ")"});
    case Op::Max: return join({"nesy_max(", c(0), ", ", c(1), ")"});
    case Op::IfThenElse: return join({"(", c(0), " ? ", c(1), " : ", c(2), ")"});
    default:
        if (const char* r = relation(e.op()))
            return join({"(", c(0), r, c(1), ")"});
    }
    throw std::invalid_argument("decision program: operator not supported by the code generator");
}

std::string decisionSource(const DecisionStage& stage)
{
    std::ostringstream os;
    os << "\n/* Decision program over the scores (double, as core/symbolic evaluates it). */\n" << helpers(stage);
    const std::size_t n = stage.trees.size();
    for (std::size_t i = 0; i < n; ++i)
        os << "\n/* " << symbolic::toText(stage.trees[i]) << " */\n"
           << "static double nesy_tree" << i << "(const float *scores)\n{\n    (void)scores;\n    return (double)"
           << expressionToC(stage.trees[i], stage.inputs) << ";\n}\n";
    // Majority vote; a tie goes to the earliest tree (symbolic::DecisionProgram::decide).
    os << "\nstatic int nesy_decide(const float *scores)\n{\n    int d[" << n << "];\n    int i, j, best;\n";
    for (std::size_t i = 0; i < n; ++i)
        os << "    d[" << i << "] = (int)lround(nesy_tree" << i << "(scores));\n";
    os << "    best = d[0];\n"
       << "    for (i = 0; i < " << n << "; ++i) {\n"
       << "        int votes = 0, bestVotes = 0;\n"
       << "        for (j = 0; j < " << n << "; ++j) {\n"
       << "            votes += d[j] == d[i];\n"
       << "            bestVotes += d[j] == best;\n"
       << "        }\n"
       << "        if (votes > bestVotes)\n            best = d[i];\n"
       << "    }\n    return best;\n}\n";
    return os.str();
}

} // namespace nesy::codegen
