// Enumerative synthesis recovers planted rules exactly and prunes programs equivalent on the data.
#include "symbolic/Synthesis.h"
#include <QtTest>
#include <random>

using namespace nesy::symbolic;

namespace {

// Inputs on a grid of quarters, so a planted threshold at an eighth is a candidate midpoint exactly.
NamedColumns gridInputs(const std::vector<std::string>& names, int rows, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> q(0, 4);
    NamedColumns c;
    for (const auto& n : names) {
        Eigen::VectorXd v(rows);
        for (int i = 0; i < rows; ++i) v[i] = q(rng) / 4.0;
        c[n] = v;
    }
    return c;
}

std::vector<int> labelsOf(const Expr& rule, const NamedColumns& in)
{
    Eigen::VectorXd v = evaluate(rule, in);
    std::vector<int> labels;
    for (double x : v) labels.push_back(static_cast<int>(x));
    return labels;
}

} // namespace

class TestSymbolicSynthesis : public QObject {
    Q_OBJECT
private slots:
    void recoversPlantedNestedRuleExactly()
    {
        const std::string planted = "if x > 0.375 then (if y > 0.625 then 2 else 1) else 0";
        NamedColumns in = gridInputs({"x", "y", "decoy"}, 400, 7);
        std::vector<int> labels = labelsOf(parseExpression(planted), in);
        SynthesisSettings s;
        s.maxDepth = 2;
        s.thresholdsPerInput = 8;
        SynthesisResult r = synthesizeDecisionProgram(in, labels, s);
        QCOMPARE(QString::fromStdString(r.program.text()), QString::fromStdString(planted));
        QCOMPARE(r.error, 0.0);
        QVERIFY(r.equivalentPruned > 0);
        QVERIFY(r.candidatesConsidered > r.predicatePool);
    }

    void recoversConjunctionPrintedAsLogic()
    {
        const std::string planted = "if a > 0.125 and b > 0.875 then 1 else 0";
        NamedColumns in = gridInputs({"a", "b", "c"}, 500, 11);
        std::vector<int> labels = labelsOf(parseExpression(planted), in);
        SynthesisResult r = synthesizeDecisionProgram(in, labels, {});
        QCOMPARE(QString::fromStdString(r.program.text()), QString::fromStdString(planted));
        QCOMPARE(r.error, 0.0);
    }

    void recoversComparisonBetweenScores()
    {
        // An argmax-like rule over class scores, with an arithmetic guard found through a - b.
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> u(0, 1);
        NamedColumns in{{"s0", Eigen::VectorXd(300)}, {"s1", Eigen::VectorXd(300)}};
        for (int i = 0; i < 300; ++i) {
            in["s0"][i] = u(rng);
            in["s1"][i] = u(rng);
        }
        const std::string planted = "if s0 > s1 then 0 else 1";
        std::vector<int> labels = labelsOf(parseExpression(planted), in);
        SynthesisSettings s;
        s.maxDepth = 1;
        s.arithmetic = true;
        SynthesisResult r = synthesizeDecisionProgram(in, labels, s);
        QCOMPARE(QString::fromStdString(r.program.text()), QString::fromStdString(planted));
        QCOMPARE(r.error, 0.0);
    }

    void deeperSearchNeverDoesWorse()
    {
        NamedColumns in = gridInputs({"x", "y", "z"}, 300, 5);
        std::vector<int> labels =
            labelsOf(parseExpression("if x + y > 1 then (if z > 0.5 then 2 else 1) else 0"), in);
        double previous = 1.0;
        for (int depth = 0; depth <= 3; ++depth) {
            SynthesisSettings s;
            s.maxDepth = depth;
            SynthesisResult r = synthesizeDecisionProgram(in, labels, s);
            QVERIFY2(r.error <= previous + 1e-12, r.program.text().c_str());
            QVERIFY(r.program.trees.front().depth() <= depth);
            previous = r.error;
        }
        QVERIFY(previous < 0.2);
        SynthesisSettings voting;
        voting.maxDepth = 1;
        voting.maxTrees = 3;
        SynthesisSettings single = voting;
        single.maxTrees = 1;
        QVERIFY(synthesizeDecisionProgram(in, labels, voting).objective <=
                synthesizeDecisionProgram(in, labels, single).objective);
    }

    void rejectsBadInput()
    {
        NamedColumns in{{"x", Eigen::VectorXd::Zero(3)}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesizeDecisionProgram(in, {0, 1}, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, synthesizeDecisionProgram(in, {}, {}));
    }
};

QTEST_APPLESS_MAIN(TestSymbolicSynthesis)
#include "test_symbolic_synthesis.moc"
