// Rule violation counts on hand-made sequences, and the movement-detected channel.
#include "graph/JsonReader.h"
#include "symbolic/BlockSettings.h"
#include "symbolic/Rules.h"
#include <QtTest>

using namespace nesy::symbolic;

class TestSymbolicRules : public QObject {
    Q_OBJECT
private slots:
    void sequenceRuleCountsUnfollowedEvents()
    {
        // 0 other, 1 falling, 2 lying; one decision per second.
        SequenceRule fallThenLie{1, 2, 3.0};
        TimedDecisions s;
        s.decisions = {0, 1, 1, 2, 0, 1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 1, 0};
        for (std::size_t i = 0; i < s.decisions.size(); ++i) s.times.push_back(static_cast<double>(i));
        // Events end at t=2 (lying at 3: ok), t=5 (none by 8: violation), t=10 (lying at 13: ok, exactly
        // at the limit), t=16 (stream ends at 17 before the limit 19: not judged).
        ViolationCount c = fallThenLie.count(s);
        QCOMPARE(c.checked, 3);
        QCOMPARE(c.violations, 1);
        QCOMPARE(c.rate(), 1.0 / 3.0);

        SequenceRule strict{1, 2, 0.5};
        QCOMPARE(strict.count(s).violations, 4); // the last event is judged too: the stream runs past 16.5
        QCOMPARE(strict.count(s).checked, 4);

        TimedDecisions none{{0, 1, 2}, {0, 0, 0}};
        QCOMPARE(fallThenLie.count(none).checked, 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fallThenLie.count({{0, 1}, {1}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fallThenLie.count({{1, 0}, {1, 1}}));
    }

    void boundRulesCountSamplesAndSteps()
    {
        Eigen::VectorXd speed(6);
        speed << 0.5, 1.9, 2.1, -0.1, 2.0, std::nan("");
        ViolationCount c = BoundRule{0.0, 2.0}.count(speed);
        QCOMPARE(c.checked, 6);
        QCOMPARE(c.violations, 3); // 2.1, -0.1 and NaN
        Eigen::VectorXd angle(4);
        angle << 0.0, 0.1, 0.5, 0.45;
        ViolationCount r = RateBoundRule{2.0}.count(angle, {0.0, 0.1, 0.2, 0.3});
        QCOMPARE(r.checked, 3);
        QCOMPARE(r.violations, 1); // 4 per second between samples 1 and 2
    }

    void movementChannelFlagsGyroMagnitude()
    {
        Eigen::MatrixXd w(3, 6);
        w << 0, 0, 9.8, 0.1, 0.1, 0.1,
             0, 0, 9.8, 0.4, 0.4, 0.0,
             0, 0, 9.8, 0.0, 0.0, 2.0;
        Eigen::MatrixXd out = MovementChannel{{3, 4, 5}, 0.5}.apply(w);
        QCOMPARE(out.cols(), 7);
        QCOMPARE(out.col(6), Eigen::Vector3d(0, 1, 1).eval());
        QCOMPARE(out.leftCols(6), w);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (MovementChannel{{3, 4, 6}, 0.5}.apply(w)));
    }

    void blockParametersBecomeRules()
    {
        const std::vector<std::string> classes{"walking", "falling", "lying"};
        const nesy::Json seq = {{"first", "falling"}, {"then", "lying"}, {"within_s", 2.0}, {"weight", 3.0}};
        const SequenceRule rule = sequenceRuleFromParams(seq, classes, "fall_rule");
        QCOMPARE(rule.first, 1);
        QCOMPARE(rule.then, 2);
        QCOMPARE(rule.withinSeconds, 2.0);
        QCOMPARE(ruleTerm({1, 4}, 3.0), 0.75);
        try {
            sequenceRuleFromParams({{"first", "jumping"}}, classes, "fall_rule");
            QFAIL("no error");
        } catch (const nesy::FormatError& e) {
            QVERIFY2(std::string(e.what()).find("fall_rule") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("jumping") != std::string::npos, e.what());
        }
        QCOMPARE(boundRuleFromParams({{"max", 2.0}}, "speed").max, 2.0);
        QCOMPARE(rateBoundRuleFromParams({{"max", 5.0}, {"on_rate", true}}, "turn").maxRate, 5.0);
        QVERIFY_THROWS_EXCEPTION(nesy::FormatError, boundRuleFromParams({{"max", "high"}}, "speed"));

        const SynthesisSettings s = synthesisSettingsFromParams({{"max_depth", 3}, {"arithmetic", true}}, "tree");
        QCOMPARE(s.maxDepth, 3);
        QVERIFY(s.arithmetic);
        QCOMPARE(s.maxTrees, 1);
        const DecisionProgram p = thresholdTreeFromParams({{"program", "if x0 > t1 then 1 else 0"}, {"t1", 0.25}}, "tt");
        QCOMPARE(QString::fromStdString(p.text()), QString("if x0 > 0.25 then 1 else 0"));
        try {
            thresholdTreeFromParams({{"program", "if x0 > then 1 else 0"}}, "tt");
            QFAIL("no error");
        } catch (const nesy::FormatError& e) {
            QVERIFY2(std::string(e.what()).find("tt.program") != std::string::npos, e.what());
        }
    }

    void classNamesResolve()
    {
        QCOMPARE(classIndex({"walking", "falling", "lying"}, "lying"), 2);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, classIndex({"walking"}, "lying"));
    }
};

QTEST_APPLESS_MAIN(TestSymbolicRules)
#include "test_symbolic_rules.moc"
