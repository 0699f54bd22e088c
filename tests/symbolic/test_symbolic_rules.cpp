// Rule violation counts on hand-made sequences, and the movement-detected channel.
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

    void classNamesResolve()
    {
        QCOMPARE(classIndex({"walking", "falling", "lying"}, "lying"), 2);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, classIndex({"walking"}, "lying"));
    }
};

QTEST_APPLESS_MAIN(TestSymbolicRules)
#include "test_symbolic_rules.moc"
