#pragma once
// Built-in test problems for `nesy search --objective ...`, the benchmark and the tests:
//   branin    2 reals, x1 in [-5, 10], x2 in [0, 15]; global minimum 0.397887
//   hartmann6 6 reals in [0, 1]; global minimum -3.32237
//   mixed     a categorical, an integer, a subset and a real; global minimum 0
// Each reports its value as the term "value" (Objective::singleTerm("value")).
#include "SearchEngine.h"
#include <array>
#include <string>
#include <vector>

namespace nesy {

const std::vector<std::string>& testFunctionNames();
// Throws std::invalid_argument naming the known functions for an unknown name.
SearchProblem makeTestProblem(const std::string& name);
double testFunctionMinimum(const std::string& name);

double branin(double x1, double x2);
double hartmann6(const std::array<double, 6>& x);

} // namespace nesy
