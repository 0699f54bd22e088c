#include "Constraint.h"
#include <cctype>
#include <cmath>
#include <vector>

namespace nesy {

struct Constraint::Node {
    enum class Op { Number, Name, Neg, Add, Sub, Mul, Div, Lt, Le, Gt, Ge, Eq, Ne, And, Or };
    Op op = Op::Number;
    double number = 0;
    std::string name;
    std::shared_ptr<const Node> lhs, rhs;

    double eval(const std::function<double(const std::string&)>& lookup) const
    {
        auto l = [&] { return lhs->eval(lookup); };
        auto r = [&] { return rhs->eval(lookup); };
        switch (op) {
        case Op::Number: return number;
        case Op::Name: return lookup(name);
        case Op::Neg: return -l();
        case Op::Add: return l() + r();
        case Op::Sub: return l() - r();
        case Op::Mul: return l() * r();
        case Op::Div: return l() / r();
        case Op::Lt: return l() < r();
        case Op::Le: return l() <= r();
        case Op::Gt: return l() > r();
        case Op::Ge: return l() >= r();
        case Op::Eq: return l() == r();
        case Op::Ne: return l() != r();
        case Op::And: return (l() != 0) && (r() != 0);
        case Op::Or: return (l() != 0) || (r() != 0);
        }
        return 0;
    }
};

namespace {

using Node = Constraint::Node;
using NodePtr = std::shared_ptr<const Node>;

// Recursive descent, one function per precedence level.
class Parser {
public:
    Parser(const std::string& text, std::set<std::string>& names) : s_(text), names_(names) {}

    NodePtr parseAll()
    {
        auto n = parseOr();
        skipSpace();
        if (pos_ != s_.size())
            fail("unexpected \"" + s_.substr(pos_, 1) + "\"");
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw ConstraintError("constraint \"" + s_ + "\" at character " + std::to_string(pos_ + 1) + ": " + what);
    }
    void skipSpace()
    {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
            ++pos_;
    }
    bool accept(const char* tok)
    {
        skipSpace();
        std::string t(tok);
        if (s_.compare(pos_, t.size(), t) != 0)
            return false;
        pos_ += t.size();
        return true;
    }
    static NodePtr binary(Node::Op op, NodePtr l, NodePtr r)
    {
        auto n = std::make_shared<Node>();
        n->op = op;
        n->lhs = std::move(l);
        n->rhs = std::move(r);
        return n;
    }
    NodePtr parseOr()
    {
        auto n = parseAnd();
        while (accept("||"))
            n = binary(Node::Op::Or, n, parseAnd());
        return n;
    }
    NodePtr parseAnd()
    {
        auto n = parseComparison();
        while (accept("&&"))
            n = binary(Node::Op::And, n, parseComparison());
        return n;
    }
    NodePtr parseComparison()
    {
        auto n = parseSum();
        // Longer operators first so "<=" is not read as "<".
        static const std::pair<const char*, Node::Op> ops[] = {{"<=", Node::Op::Le}, {">=", Node::Op::Ge},
                                                               {"==", Node::Op::Eq}, {"!=", Node::Op::Ne},
                                                               {"<", Node::Op::Lt},  {">", Node::Op::Gt}};
        for (auto& [tok, op] : ops)
            if (accept(tok))
                return binary(op, n, parseSum());
        return n;
    }
    NodePtr parseSum()
    {
        auto n = parseProduct();
        for (;;) {
            if (accept("+")) n = binary(Node::Op::Add, n, parseProduct());
            else if (accept("-")) n = binary(Node::Op::Sub, n, parseProduct());
            else return n;
        }
    }
    NodePtr parseProduct()
    {
        auto n = parseUnary();
        for (;;) {
            if (accept("*")) n = binary(Node::Op::Mul, n, parseUnary());
            else if (accept("/")) n = binary(Node::Op::Div, n, parseUnary());
            else return n;
        }
    }
    NodePtr parseUnary()
    {
        if (accept("-")) {
            auto n = std::make_shared<Node>();
            n->op = Node::Op::Neg;
            n->lhs = parseUnary();
            return n;
        }
        return parsePrimary();
    }
    NodePtr parsePrimary()
    {
        skipSpace();
        if (accept("(")) {
            auto n = parseOr();
            if (!accept(")"))
                fail("expected \")\"");
            return n;
        }
        if (pos_ >= s_.size())
            fail("expected a number or a parameter name, found the end");
        auto n = std::make_shared<Node>();
        char c = s_[pos_];
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            std::size_t used = 0;
            n->number = std::stod(s_.substr(pos_), &used);
            pos_ += used;
            return n;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t start = pos_;
            while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
                                        s_[pos_] == '.'))
                ++pos_;
            n->op = Node::Op::Name;
            n->name = s_.substr(start, pos_ - start);
            if (n->name.find('.') == std::string::npos) {
                pos_ = start;
                fail("\"" + n->name + "\" is not a block.param name");
            }
            names_.insert(n->name);
            return n;
        }
        fail("unexpected \"" + std::string(1, c) + "\"");
    }

    const std::string& s_;
    std::set<std::string>& names_;
    std::size_t pos_ = 0;
};

} // namespace

Constraint Constraint::parse(const std::string& text)
{
    Constraint c;
    c.text_ = text;
    c.root_ = Parser(text, c.names_).parseAll();
    return c;
}

bool Constraint::holds(const std::function<double(const std::string&)>& lookup) const
{
    return root_->eval(lookup) != 0;
}

} // namespace nesy
