// The expression language: typing, parsing, printing (round trip), evaluation, rewriting.
#include "symbolic/DecisionProgram.h"
#include "symbolic/Expression.h"
#include <QtTest>

using namespace nesy::symbolic;

class TestSymbolicExpression : public QObject {
    Q_OBJECT
private slots:
    void printsReadableTextThatParsesBack()
    {
        const char* texts[] = {
            "if p_fall > 0.7 and gyro < 2 then 8 else 3",
            "if a > 1 then (if b <= 2 then 1 else 2) else if c == 0 then 3 else 4",
            "abs(a - b) * (c + 2) / max(d, -1.5)",
            "not (a > b or c >= d) and min(a, b) < 3",
            "a - (b - c)",
            "-(a * b) + -3",
            "(if x > 0 then 1 else 0) + 1",
        };
        for (const char* t : texts) {
            Expr e = parseExpression(t);
            QCOMPARE(QString::fromStdString(toText(e)), QString(t));
            QVERIFY(parseExpression(toText(e)) == e);
        }
    }

    void respectsPrecedenceAndAssociativity()
    {
        std::map<std::string, double> in{{"a", 2}, {"b", 3}, {"c", 4}};
        QCOMPARE(evaluate(parseExpression("a + b * c"), in), 14.0);
        QCOMPARE(evaluate(parseExpression("a - b - c"), in), -5.0);
        QCOMPARE(evaluate(parseExpression("c / a / a"), in), 1.0);
        QCOMPARE(evaluate(parseExpression("-a * b"), in), -6.0);
        QCOMPARE(evaluate(parseExpression("a < b and not b > c"), in), 1.0);
        QCOMPARE(evaluate(parseExpression("if a > b then 1 else if c > b then 2 else 3"), in), 2.0);
        QCOMPARE(evaluate(parseExpression("a / 0"), in), 0.0); // defined: division by zero gives 0
    }

    void rejectsIllTypedAndBadText()
    {
        QVERIFY_THROWS_EXCEPTION(ExpressionError, parseExpression("a + (b > c)"));
        QVERIFY_THROWS_EXCEPTION(ExpressionError, parseExpression("if a then 1 else 2"));
        QVERIFY_THROWS_EXCEPTION(ExpressionError, parseExpression("if a > 1 then 1 else b > 2"));
        QVERIFY_THROWS_EXCEPTION(ExpressionError, parseExpression("a + "));
        QVERIFY_THROWS_EXCEPTION(ExpressionError, parseExpression("a = 3"));
        try {
            parseExpression("a + * b");
            QFAIL("no error");
        } catch (const ExpressionError& e) {
            QVERIFY2(std::string(e.what()).find("column 5") != std::string::npos, e.what());
        }
        try {
            evaluate(parseExpression("a + zz"), std::map<std::string, double>{{"a", 1}});
            QFAIL("no error");
        } catch (const ExpressionError& e) {
            QVERIFY(std::string(e.what()).find("zz") != std::string::npos);
        }
    }

    void evaluatesColumnsLikeRows()
    {
        Expr e = parseExpression("if x > 0.5 and abs(y) < 1 then max(x, y) else min(x, y) - 1");
        NamedColumns cols{{"x", Eigen::VectorXd::LinSpaced(21, 0, 1)}, {"y", Eigen::VectorXd::LinSpaced(21, -2, 2)}};
        Eigen::VectorXd all = evaluate(e, cols);
        for (Eigen::Index i = 0; i < 21; ++i)
            QCOMPARE(all[i], evaluate(e, std::map<std::string, double>{{"x", cols["x"][i]}, {"y", cols["y"][i]}}));
        QVERIFY_THROWS_EXCEPTION(ExpressionError, evaluate(e, NamedColumns{{"x", Eigen::VectorXd::Zero(3)}}));
    }

    void simplifiesSharedBranchesIntoLogic()
    {
        Expr nested = parseExpression("if a > 1 then (if b > 2 then 1 else 0) else 0");
        QCOMPARE(QString::fromStdString(toText(simplify(nested))), QString("if a > 1 and b > 2 then 1 else 0"));
        Expr chain = parseExpression("if a > 1 then 1 else if b > 2 then 1 else 0");
        QCOMPARE(QString::fromStdString(toText(simplify(chain))), QString("if a > 1 or b > 2 then 1 else 0"));
        QCOMPARE(QString::fromStdString(toText(simplify(parseExpression("if a > 1 then b else b")))), QString("b"));
    }

    void fixedTemplateSubstitutesThresholds()
    {
        DecisionProgram p = instantiateTemplate("if x0 > t0 then (if x1 > t1 then 2 else 1) else 0", {{"t0", 0.3}, {"t1", 0.6}});
        QCOMPARE(QString::fromStdString(p.text()), QString("if x0 > 0.3 then (if x1 > 0.6 then 2 else 1) else 0"));
        Eigen::MatrixXd rows(3, 2);
        rows << 0.1, 0.9, 0.5, 0.5, 0.5, 0.7;
        QCOMPARE(p.decide(indexedColumns(rows)), (std::vector<int>{0, 1, 2}));
        QCOMPARE(decisionError(p, indexedColumns(rows), {0, 1, 1}), 1.0 / 3.0);
        QVERIFY_THROWS_EXCEPTION(ExpressionError, instantiateTemplate("x0 > t0", {{"t0", 1}}));
    }
};

QTEST_APPLESS_MAIN(TestSymbolicExpression)
#include "test_symbolic_expression.moc"
