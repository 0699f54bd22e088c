#include "TestFunctions.h"
#include <cmath>
#include <stdexcept>

namespace nesy {

double branin(double x1, double x2)
{
    const double a = 1, b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI, r = 6, s = 10, t = 1 / (8 * M_PI);
    return a * std::pow(x2 - b * x1 * x1 + c * x1 - r, 2) + s * (1 - t) * std::cos(x1) + s;
}

double hartmann6(const std::array<double, 6>& x)
{
    static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
    static const double A[4][6] = {{10, 3, 17, 3.5, 1.7, 8},
                                   {0.05, 10, 17, 0.1, 8, 14},
                                   {3, 3.5, 1.7, 10, 17, 8},
                                   {17, 8, 0.05, 10, 0.1, 14}};
    static const double P[4][6] = {{1312, 1696, 5569, 124, 8283, 5886},
                                   {2329, 4135, 8307, 3736, 1004, 9991},
                                   {2348, 1451, 3522, 2883, 3047, 6650},
                                   {4047, 8828, 8732, 5743, 1091, 381}};
    double sum = 0;
    for (int i = 0; i < 4; ++i) {
        double inner = 0;
        for (int j = 0; j < 6; ++j)
            inner += A[i][j] * std::pow(x[j] - P[i][j] * 1e-4, 2);
        sum += alpha[i] * std::exp(-inner);
    }
    return -sum;
}

namespace {

double real(const Assignment& a, const std::string& key) { return a.at(key).get<double>(); }

TrialResult valueResult(double v)
{
    TrialResult r;
    r.terms["value"] = v;
    return r;
}

// A categorical backbone, an integer width and a subset of dilations, plus a real rate. Each
// category has its own best width; the subset is best at {1, 4, 16}; the rate at 0.3. Minimum 0.
double mixedFunction(const Assignment& a)
{
    const std::string kind = a.at("net.kind").get<std::string>();
    const double offset = kind == "tcn" ? 0.0 : kind == "cnn" ? 0.25 : 0.5;
    const double target = kind == "tcn" ? 7 : kind == "cnn" ? 12 : 3;
    const double width = double(a.at("net.width").get<std::int64_t>());
    double sum = 0;
    for (const auto& d : a.at("net.dilations"))
        sum += d.get<double>();
    const double rate = real(a, "net.rate");
    return offset + std::pow((width - target) / 10.0, 2) + std::abs(sum - 21) / 16.0 + std::pow(rate - 0.3, 2);
}

} // namespace

const std::vector<std::string>& testFunctionNames()
{
    static const std::vector<std::string> names = {"branin", "hartmann6", "mixed"};
    return names;
}

double testFunctionMinimum(const std::string& name)
{
    if (name == "branin") return 0.397887;
    if (name == "hartmann6") return -3.32237;
    if (name == "mixed") return 0.0;
    throw std::invalid_argument("unknown test function \"" + name + "\" (known: branin, hartmann6, mixed)");
}

SearchProblem makeTestProblem(const std::string& name)
{
    SearchProblem p;
    p.objective = Objective::singleTerm("value");
    std::vector<SearchParameter> params;
    if (name == "branin") {
        params.push_back({"f.x1", Domain::real(-5, 10), 2.5, std::nullopt, 0, 0});
        params.push_back({"f.x2", Domain::real(0, 15), 7.5, std::nullopt, 0, 0});
        p.evaluate = [](const Assignment& a, const StopToken&) {
            return valueResult(branin(real(a, "f.x1"), real(a, "f.x2")));
        };
    } else if (name == "hartmann6") {
        for (int i = 1; i <= 6; ++i)
            params.push_back({"f.x" + std::to_string(i), Domain::real(0, 1), 0.5, std::nullopt, 0, 0});
        p.evaluate = [](const Assignment& a, const StopToken&) {
            std::array<double, 6> x{};
            for (int i = 0; i < 6; ++i)
                x[std::size_t(i)] = real(a, "f.x" + std::to_string(i + 1));
            return valueResult(hartmann6(x));
        };
    } else if (name == "mixed") {
        params.push_back({"net.kind", Domain::categorical({"mlp", "cnn", "tcn"}), "mlp", std::nullopt, 0, 0});
        params.push_back({"net.width", Domain::integer(1, 32), 8, std::nullopt, 0, 0});
        params.push_back({"net.dilations", Domain::subset({1, 2, 4, 8, 16, 32}, 1, 5), Value::array({1}),
                          std::nullopt, 0, 0});
        params.push_back({"net.rate", Domain::real(0, 1), 0.5, std::nullopt, 0, 0});
        p.evaluate = [](const Assignment& a, const StopToken&) { return valueResult(mixedFunction(a)); };
    } else {
        testFunctionMinimum(name); // throws naming the known functions
    }
    p.space = SearchSpace(std::move(params));
    return p;
}

} // namespace nesy
