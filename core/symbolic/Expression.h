#pragma once
// A small typed expression language for decision programs over named inputs (class scores,
// features, scalars, filter state): logical, relational, arithmetic and if-then-else operators and
// numeric constants. Expressions are immutable values sharing their sub-trees, so the synthesiser
// can build many programs from common parts cheaply.
#include <Eigen/Core>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace nesy::symbolic {

enum class Type { Number, Bool };

enum class Op {
    Constant, Input,
    Not, And, Or,
    Less, LessEqual, Greater, GreaterEqual, Equal,
    Negate, Add, Subtract, Multiply, Divide, Abs, Min, Max,
    IfThenElse,
};

// Thrown for ill-typed expressions, unparsable text and missing inputs; the message says what and where.
class ExpressionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Expr {
public:
    static Expr constant(double value);
    static Expr input(std::string name);
    static Expr unary(Op op, Expr operand);                 // Not, Negate, Abs
    static Expr binary(Op op, Expr left, Expr right);       // And .. Equal, Add .. Max (not Abs/Negate)
    static Expr ifThenElse(Expr condition, Expr then, Expr otherwise);

    Op op() const { return node_->op; }
    Type type() const { return node_->type; }
    double value() const { return node_->value; }           // Constant only
    const std::string& name() const { return node_->name; } // Input only
    const std::vector<Expr>& operands() const { return node_->operands; }

    int size() const;  // number of nodes
    int depth() const; // if-then-else nesting depth (a leaf program has depth 0)
    std::vector<std::string> inputNames() const; // sorted, unique

    bool operator==(const Expr& other) const; // structural equality

private:
    struct Node {
        Op op = Op::Constant;
        Type type = Type::Number;
        double value = 0.0;
        std::string name;
        std::vector<Expr> operands;
    };
    explicit Expr(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
    std::shared_ptr<const Node> node_;
};

// Readable text with the fewest parentheses that parse back to the same tree:
// "if p_fall > 0.7 and gyro < 2 then 8 else argmax".
std::string toText(const Expr& e);

// Parses the text toText writes. Inputs are identifiers; `true`/`false` are not constants (the
// language's constants are numbers). Throws ExpressionError naming the column of the problem.
Expr parseExpression(const std::string& text);

// Replaces the named inputs by constants (fixed-template trees: thresholds t0..t3).
Expr substitute(const Expr& e, const std::map<std::string, double>& constants);

// Rewrites nested if-then-else with a shared branch into and/or, which reads better:
// if a then (if b then X else Y) else Y  ->  if a and b then X else Y.
Expr simplify(const Expr& e);

// Named input columns, one value per row. Booleans evaluate to 1 and 0.
using NamedColumns = std::map<std::string, Eigen::VectorXd>;

// One row of named inputs.
double evaluate(const Expr& e, const std::map<std::string, double>& inputs);
// Every row at once; all columns must have the same length. Throws naming a missing input.
Eigen::VectorXd evaluate(const Expr& e, const NamedColumns& columns);

} // namespace nesy::symbolic
