#pragma once
// A decision program: one or more expression trees whose numeric outputs are class indices,
// combined by majority vote (ties go to the earliest tree). One tree is the common case.
#include "Expression.h"
#include <string>
#include <vector>

namespace nesy::symbolic {

struct DecisionProgram {
    std::vector<Expr> trees;

    // One decision per row (each tree's value rounded to the nearest integer, then the vote).
    std::vector<int> decide(const NamedColumns& inputs) const;
    int size() const; // nodes over all trees
    std::string text() const; // the tree's text, or "vote(t1; t2; ...)" for several
};

// Fraction of rows whose decision differs from the label. Throws if the lengths differ.
double decisionError(const DecisionProgram& program, const NamedColumns& inputs, const std::vector<int>& labels);

// A hand-written template whose named constants (t0..t3) are search parameters, for example a
// tracker's confidence thresholds: "if x0 > t0 then 1 else 0". Throws ExpressionError for bad text.
DecisionProgram instantiateTemplate(const std::string& templateText, const std::map<std::string, double>& constants);

// Columns x0, x1, ... from a row-major matrix (rows = samples), the names fixed templates read.
NamedColumns indexedColumns(const Eigen::MatrixXd& rows, const std::string& prefix = "x");

} // namespace nesy::symbolic
