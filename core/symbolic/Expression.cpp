#include "Expression.h"
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

namespace nesy::symbolic {

namespace {

bool isLogical(Op op) { return op == Op::And || op == Op::Or; }
bool isRelational(Op op) { return op >= Op::Less && op <= Op::Equal; }
bool isArithmeticBinary(Op op)
{
    return op == Op::Add || op == Op::Subtract || op == Op::Multiply || op == Op::Divide || op == Op::Min ||
           op == Op::Max;
}

const char* opSymbol(Op op)
{
    switch (op) {
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Not: return "not";
    case Op::Less: return "<";
    case Op::LessEqual: return "<=";
    case Op::Greater: return ">";
    case Op::GreaterEqual: return ">=";
    case Op::Equal: return "==";
    case Op::Add: return "+";
    case Op::Subtract: return "-";
    case Op::Multiply: return "*";
    case Op::Divide: return "/";
    case Op::Negate: return "-";
    case Op::Abs: return "abs";
    case Op::Min: return "min";
    case Op::Max: return "max";
    default: return "?";
    }
}

std::string typeName(Type t) { return t == Type::Bool ? "boolean" : "number"; }

void requireType(const Expr& e, Type want, const char* where)
{
    if (e.type() != want)
        throw ExpressionError(std::string("operand of ") + where + " must be a " + typeName(want) + ", got the " +
                              typeName(e.type()) + " '" + toText(e) + "'");
}

} // namespace

Expr Expr::constant(double value)
{
    if (!std::isfinite(value)) throw ExpressionError("constants must be finite numbers");
    auto n = std::make_shared<Node>();
    n->op = Op::Constant;
    n->value = value;
    return Expr(std::move(n));
}

Expr Expr::input(std::string name)
{
    if (name.empty()) throw ExpressionError("an input needs a name");
    auto n = std::make_shared<Node>();
    n->op = Op::Input;
    n->name = std::move(name);
    return Expr(std::move(n));
}

Expr Expr::unary(Op op, Expr operand)
{
    auto n = std::make_shared<Node>();
    n->op = op;
    if (op == Op::Not) {
        requireType(operand, Type::Bool, "not");
        n->type = Type::Bool;
    } else if (op == Op::Negate || op == Op::Abs) {
        requireType(operand, Type::Number, opSymbol(op));
        // A negated literal is a negative literal, so text round-trips to the same tree.
        if (op == Op::Negate && operand.op() == Op::Constant) return constant(-operand.value());
    } else {
        throw ExpressionError(std::string("'") + opSymbol(op) + "' is not a unary operator");
    }
    n->operands = {std::move(operand)};
    return Expr(std::move(n));
}

Expr Expr::binary(Op op, Expr left, Expr right)
{
    auto n = std::make_shared<Node>();
    n->op = op;
    if (isLogical(op)) {
        requireType(left, Type::Bool, opSymbol(op));
        requireType(right, Type::Bool, opSymbol(op));
        n->type = Type::Bool;
    } else if (isRelational(op)) {
        requireType(left, Type::Number, opSymbol(op));
        requireType(right, Type::Number, opSymbol(op));
        n->type = Type::Bool;
    } else if (isArithmeticBinary(op)) {
        requireType(left, Type::Number, opSymbol(op));
        requireType(right, Type::Number, opSymbol(op));
    } else {
        throw ExpressionError(std::string("'") + opSymbol(op) + "' is not a binary operator");
    }
    n->operands = {std::move(left), std::move(right)};
    return Expr(std::move(n));
}

Expr Expr::ifThenElse(Expr condition, Expr then, Expr otherwise)
{
    requireType(condition, Type::Bool, "if");
    if (then.type() != otherwise.type())
        throw ExpressionError("the branches of '" + toText(condition) + "' have different types (" +
                              typeName(then.type()) + " and " + typeName(otherwise.type()) + ")");
    auto n = std::make_shared<Node>();
    n->op = Op::IfThenElse;
    n->type = then.type();
    n->operands = {std::move(condition), std::move(then), std::move(otherwise)};
    return Expr(std::move(n));
}

int Expr::size() const
{
    int s = 1;
    for (const Expr& o : operands()) s += o.size();
    return s;
}

int Expr::depth() const
{
    int d = 0;
    for (const Expr& o : operands()) d = std::max(d, o.depth());
    return op() == Op::IfThenElse ? d + 1 : d;
}

std::vector<std::string> Expr::inputNames() const
{
    std::set<std::string> names;
    auto collect = [&](const Expr& e, auto&& self) -> void {
        if (e.op() == Op::Input) names.insert(e.name());
        for (const Expr& o : e.operands()) self(o, self);
    };
    collect(*this, collect);
    return {names.begin(), names.end()};
}

bool Expr::operator==(const Expr& other) const
{
    if (node_ == other.node_) return true;
    if (op() != other.op() || type() != other.type() || value() != other.value() || name() != other.name() ||
        operands().size() != other.operands().size())
        return false;
    for (std::size_t i = 0; i < operands().size(); ++i)
        if (!(operands()[i] == other.operands()[i])) return false;
    return true;
}

// ---------------------------------------------------------------- printing

namespace {

// Binding strength, loosest first; a sub-expression looser than its slot is parenthesised.
enum Precedence { PrecIf = 0, PrecOr, PrecAnd, PrecNot, PrecCompare, PrecAdd, PrecMultiply, PrecUnary, PrecAtom };

std::string numberText(double v)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

int precedenceOf(const Expr& e)
{
    switch (e.op()) {
    case Op::IfThenElse: return PrecIf;
    case Op::Or: return PrecOr;
    case Op::And: return PrecAnd;
    case Op::Not: return PrecNot;
    case Op::Less: case Op::LessEqual: case Op::Greater: case Op::GreaterEqual: case Op::Equal: return PrecCompare;
    case Op::Add: case Op::Subtract: return PrecAdd;
    case Op::Multiply: case Op::Divide: return PrecMultiply;
    case Op::Negate: return PrecUnary;
    case Op::Constant: return e.value() < 0 ? PrecUnary : PrecAtom;
    default: return PrecAtom;
    }
}

std::string print(const Expr& e, int slot)
{
    const auto& o = e.operands();
    std::string s;
    switch (e.op()) {
    case Op::Constant: s = numberText(e.value()); break;
    case Op::Input: s = e.name(); break;
    case Op::IfThenElse:
        // A nested if in the then-branch is parenthesised; else-if chains read without.
        s = "if " + print(o[0], PrecOr) + " then " + print(o[1], PrecOr) + " else " + print(o[2], PrecIf);
        break;
    case Op::Or: s = print(o[0], PrecOr) + " or " + print(o[1], PrecAnd); break;
    case Op::And: s = print(o[0], PrecAnd) + " and " + print(o[1], PrecNot); break;
    case Op::Not: s = "not " + print(o[0], PrecNot); break;
    case Op::Less: case Op::LessEqual: case Op::Greater: case Op::GreaterEqual: case Op::Equal:
        s = print(o[0], PrecAdd) + " " + opSymbol(e.op()) + " " + print(o[1], PrecAdd);
        break;
    case Op::Add: case Op::Subtract:
        s = print(o[0], PrecAdd) + " " + opSymbol(e.op()) + " " + print(o[1], PrecMultiply);
        break;
    case Op::Multiply: case Op::Divide:
        s = print(o[0], PrecMultiply) + " " + opSymbol(e.op()) + " " + print(o[1], PrecUnary);
        break;
    case Op::Negate: s = "-" + print(o[0], PrecAtom); break;
    case Op::Abs: s = "abs(" + print(o[0], PrecIf) + ")"; break;
    case Op::Min: case Op::Max:
        s = std::string(opSymbol(e.op())) + "(" + print(o[0], PrecIf) + ", " + print(o[1], PrecIf) + ")";
        break;
    }
    return precedenceOf(e) < slot ? "(" + s + ")" : s;
}

} // namespace

std::string toText(const Expr& e) { return print(e, PrecIf); }

// ---------------------------------------------------------------- parsing

namespace {

class Parser {
public:
    explicit Parser(const std::string& text) : text_(text) {}

    Expr parseAll()
    {
        Expr e = parseIf();
        skipSpace();
        if (pos_ != text_.size()) fail("unexpected '" + text_.substr(pos_, 12) + "'");
        return e;
    }

private:
    const std::string& text_;
    std::size_t pos_ = 0;

    [[noreturn]] void fail(const std::string& what) const
    {
        throw ExpressionError("column " + std::to_string(pos_ + 1) + ": " + what + " in '" + text_ + "'");
    }

    void skipSpace()
    {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }

    static bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

    // Peeks a keyword or identifier without consuming it.
    std::string peekWord()
    {
        skipSpace();
        std::size_t end = pos_;
        if (end < text_.size() && (std::isalpha(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
            while (end < text_.size() && identChar(text_[end])) ++end;
        return text_.substr(pos_, end - pos_);
    }

    bool acceptWord(const char* word)
    {
        if (peekWord() != word) return false;
        pos_ += std::char_traits<char>::length(word);
        return true;
    }

    void expectWord(const char* word)
    {
        if (!acceptWord(word)) fail(std::string("expected '") + word + "'");
    }

    bool acceptSymbol(const char* sym)
    {
        skipSpace();
        std::size_t n = std::char_traits<char>::length(sym);
        if (text_.compare(pos_, n, sym) != 0) return false;
        pos_ += n;
        return true;
    }

    void expectSymbol(const char* sym)
    {
        if (!acceptSymbol(sym)) fail(std::string("expected '") + sym + "'");
    }

    // Builds a node, turning a type error into one that names the column.
    template <class F>
    Expr build(F&& make)
    {
        try {
            return make();
        } catch (const ExpressionError& e) {
            fail(e.what());
        }
    }

    Expr parseIf()
    {
        if (acceptWord("if")) {
            Expr c = parseIf();
            expectWord("then");
            Expr a = parseIf();
            expectWord("else");
            Expr b = parseIf();
            return build([&] { return Expr::ifThenElse(c, a, b); });
        }
        return parseOr();
    }

    Expr parseOr()
    {
        Expr e = parseAnd();
        while (acceptWord("or")) {
            Expr r = parseAnd();
            e = build([&] { return Expr::binary(Op::Or, e, r); });
        }
        return e;
    }

    Expr parseAnd()
    {
        Expr e = parseNot();
        while (acceptWord("and")) {
            Expr r = parseNot();
            e = build([&] { return Expr::binary(Op::And, e, r); });
        }
        return e;
    }

    Expr parseNot()
    {
        if (acceptWord("not")) {
            Expr x = parseNot();
            return build([&] { return Expr::unary(Op::Not, x); });
        }
        return parseCompare();
    }

    Expr parseCompare()
    {
        Expr e = parseAdd();
        // Longer symbols first so "<=" is not read as "<".
        static const std::pair<const char*, Op> ops[] = {{"<=", Op::LessEqual}, {">=", Op::GreaterEqual},
                                                         {"==", Op::Equal},     {"<", Op::Less},
                                                         {">", Op::Greater}};
        for (const auto& [sym, op] : ops) {
            if (acceptSymbol(sym)) {
                Expr r = parseAdd();
                return build([&, op = op] { return Expr::binary(op, e, r); });
            }
        }
        return e;
    }

    Expr parseAdd()
    {
        Expr e = parseMultiply();
        for (;;) {
            Op op;
            if (acceptSymbol("+")) op = Op::Add;
            else if (acceptSymbol("-")) op = Op::Subtract;
            else return e;
            Expr r = parseMultiply();
            e = build([&] { return Expr::binary(op, e, r); });
        }
    }

    Expr parseMultiply()
    {
        Expr e = parseUnary();
        for (;;) {
            Op op;
            if (acceptSymbol("*")) op = Op::Multiply;
            else if (acceptSymbol("/")) op = Op::Divide;
            else return e;
            Expr r = parseUnary();
            e = build([&] { return Expr::binary(op, e, r); });
        }
    }

    Expr parseUnary()
    {
        if (acceptSymbol("-")) {
            Expr x = parseUnary();
            return build([&] { return Expr::unary(Op::Negate, x); });
        }
        return parseAtom();
    }

    Expr parseAtom()
    {
        skipSpace();
        if (pos_ >= text_.size()) fail("unexpected end of text");
        char c = text_[pos_];
        if (acceptSymbol("(")) {
            Expr e = parseIf();
            expectSymbol(")");
            return e;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            double v = 0.0;
            auto res = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), v);
            if (res.ec != std::errc()) fail("bad number");
            pos_ = static_cast<std::size_t>(res.ptr - text_.data());
            return build([&] { return Expr::constant(v); });
        }
        std::string word = peekWord();
        if (word.empty()) fail(std::string("unexpected '") + c + "'");
        static const std::set<std::string> keywords = {"if", "then", "else", "and", "or", "not"};
        if (keywords.count(word)) fail("unexpected keyword '" + word + "'");
        pos_ += word.size();
        if (word == "abs" || word == "min" || word == "max") {
            expectSymbol("(");
            Expr a = parseIf();
            if (word == "abs") {
                expectSymbol(")");
                return build([&] { return Expr::unary(Op::Abs, a); });
            }
            expectSymbol(",");
            Expr b = parseIf();
            expectSymbol(")");
            return build([&] { return Expr::binary(word == "min" ? Op::Min : Op::Max, a, b); });
        }
        return Expr::input(word);
    }
};

} // namespace

Expr parseExpression(const std::string& text) { return Parser(text).parseAll(); }

// ---------------------------------------------------------------- rewriting

namespace {

Expr rebuild(const Expr& e, std::vector<Expr> operands)
{
    switch (e.op()) {
    case Op::Constant: case Op::Input: return e;
    case Op::IfThenElse: return Expr::ifThenElse(operands[0], operands[1], operands[2]);
    case Op::Not: case Op::Negate: case Op::Abs: return Expr::unary(e.op(), operands[0]);
    default: return Expr::binary(e.op(), operands[0], operands[1]);
    }
}

} // namespace

Expr substitute(const Expr& e, const std::map<std::string, double>& constants)
{
    if (e.op() == Op::Input) {
        auto it = constants.find(e.name());
        return it == constants.end() ? e : Expr::constant(it->second);
    }
    std::vector<Expr> ops;
    for (const Expr& o : e.operands()) ops.push_back(substitute(o, constants));
    return rebuild(e, std::move(ops));
}

Expr simplify(const Expr& e)
{
    std::vector<Expr> ops;
    for (const Expr& o : e.operands()) ops.push_back(simplify(o));
    Expr s = rebuild(e, std::move(ops));
    for (;;) {
        if (s.op() != Op::IfThenElse) return s;
        const Expr& c = s.operands()[0];
        const Expr& a = s.operands()[1];
        const Expr& b = s.operands()[2];
        if (a == b) return a;
        if (a.op() == Op::IfThenElse && a.operands()[2] == b)
            s = Expr::ifThenElse(Expr::binary(Op::And, c, a.operands()[0]), a.operands()[1], b);
        else if (b.op() == Op::IfThenElse && b.operands()[1] == a)
            s = Expr::ifThenElse(Expr::binary(Op::Or, c, b.operands()[0]), a, b.operands()[2]);
        else
            return s;
    }
}

// ---------------------------------------------------------------- evaluation

namespace {

// Division by zero gives 0 so that a program has the same defined meaning on a microcontroller.
double safeDivide(double a, double b) { return b == 0.0 ? 0.0 : a / b; }

double applyBinary(Op op, double a, double b)
{
    switch (op) {
    case Op::And: return (a != 0.0 && b != 0.0) ? 1.0 : 0.0;
    case Op::Or: return (a != 0.0 || b != 0.0) ? 1.0 : 0.0;
    case Op::Less: return a < b;
    case Op::LessEqual: return a <= b;
    case Op::Greater: return a > b;
    case Op::GreaterEqual: return a >= b;
    case Op::Equal: return a == b;
    case Op::Add: return a + b;
    case Op::Subtract: return a - b;
    case Op::Multiply: return a * b;
    case Op::Divide: return safeDivide(a, b);
    case Op::Min: return std::min(a, b);
    case Op::Max: return std::max(a, b);
    default: throw ExpressionError("internal: not a binary operator");
    }
}

double applyUnary(Op op, double a)
{
    switch (op) {
    case Op::Not: return a == 0.0 ? 1.0 : 0.0;
    case Op::Negate: return -a;
    case Op::Abs: return std::abs(a);
    default: throw ExpressionError("internal: not a unary operator");
    }
}

} // namespace

double evaluate(const Expr& e, const std::map<std::string, double>& inputs)
{
    const auto& o = e.operands();
    switch (e.op()) {
    case Op::Constant: return e.value();
    case Op::Input: {
        auto it = inputs.find(e.name());
        if (it == inputs.end()) throw ExpressionError("no input named '" + e.name() + "'");
        return it->second;
    }
    case Op::IfThenElse: return evaluate(o[0], inputs) != 0.0 ? evaluate(o[1], inputs) : evaluate(o[2], inputs);
    case Op::Not: case Op::Negate: case Op::Abs: return applyUnary(e.op(), evaluate(o[0], inputs));
    default: return applyBinary(e.op(), evaluate(o[0], inputs), evaluate(o[1], inputs));
    }
}

namespace {

Eigen::Index rowCount(const NamedColumns& columns)
{
    if (columns.empty()) throw ExpressionError("no input columns");
    Eigen::Index n = columns.begin()->second.size();
    for (const auto& [name, col] : columns)
        if (col.size() != n)
            throw ExpressionError("input column '" + name + "' has " + std::to_string(col.size()) + " rows, '" +
                                  columns.begin()->first + "' has " + std::to_string(n));
    return n;
}

Eigen::VectorXd evaluateRows(const Expr& e, const NamedColumns& columns, Eigen::Index n)
{
    const auto& o = e.operands();
    switch (e.op()) {
    case Op::Constant: return Eigen::VectorXd::Constant(n, e.value());
    case Op::Input: {
        auto it = columns.find(e.name());
        if (it == columns.end()) throw ExpressionError("no input named '" + e.name() + "'");
        return it->second;
    }
    case Op::IfThenElse: {
        Eigen::VectorXd c = evaluateRows(o[0], columns, n);
        Eigen::VectorXd a = evaluateRows(o[1], columns, n);
        Eigen::VectorXd b = evaluateRows(o[2], columns, n);
        return (c.array() != 0.0).select(a, b);
    }
    case Op::Not: case Op::Negate: case Op::Abs:
        return evaluateRows(o[0], columns, n).unaryExpr([op = e.op()](double a) { return applyUnary(op, a); });
    default:
        return evaluateRows(o[0], columns, n)
            .binaryExpr(evaluateRows(o[1], columns, n), [op = e.op()](double a, double b) { return applyBinary(op, a, b); });
    }
}

} // namespace

Eigen::VectorXd evaluate(const Expr& e, const NamedColumns& columns)
{
    return evaluateRows(e, columns, rowCount(columns));
}

} // namespace nesy::symbolic
