#pragma once
// A user constraint between parameters, e.g. "tcn.filters * tcn.stacks <= 96" or
// "a.x + a.y < 1 && a.n >= 2". Grammar: || over && over comparisons (< <= > >= == !=) over + - over
// * / over unary minus, numbers, "block.param" names and parentheses. Booleans count as 0/1.
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

namespace nesy {

class ConstraintError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Constraint {
public:
    // Throws ConstraintError naming the text and the character position of the problem.
    static Constraint parse(const std::string& text);

    // Whether the constraint holds; `lookup` gives a parameter's numeric value by "block.param"
    // (it may throw ConstraintError for names it does not know).
    bool holds(const std::function<double(const std::string&)>& lookup) const;
    const std::set<std::string>& names() const { return names_; }
    const std::string& text() const { return text_; }

    struct Node; // the parsed expression tree
private:
    std::string text_;
    std::shared_ptr<const Node> root_; // immutable, so copies may share it
    std::set<std::string> names_;
};

} // namespace nesy
