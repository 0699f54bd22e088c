// The search space: encode/decode round trips for every parameter kind, conditional parameters
// (from a graph and the registry), user constraints and their parser.
#include "search/SearchSpace.h"
#include <QtTest>

using namespace nesy;

namespace {

SearchParameter param(std::string key, Domain d, Value inactive = nullptr, std::optional<Condition> c = std::nullopt)
{
    return {std::move(key), std::move(d), std::move(inactive), std::move(c), 0, 0};
}

SearchSpace everyKind()
{
    return SearchSpace({param("b.real", Domain::real(-2, 3)), param("b.log", Domain::logReal(1e-4, 1e-1)),
                        param("b.int", Domain::integer(3, 63)), param("b.ord", Domain::ordinal({8, 16, 32, 64})),
                        param("b.cat", Domain::categorical({"relu", "tanh", "gelu"})),
                        param("b.flag", Domain::boolean()),
                        param("b.dil", Domain::subset({1, 2, 4, 8, 16}, 2, 4))});
}

bool sameAssignment(const Assignment& a, const Assignment& b)
{
    if (a.size() != b.size())
        return false;
    for (const auto& [k, v] : a) {
        const Value& w = b.at(k);
        if (v.is_number_float() || w.is_number_float()) {
            if (std::abs(v.get<double>() - w.get<double>()) > 1e-9 * std::max(1.0, std::abs(v.get<double>())))
                return false;
        } else if (v != w) {
            return false;
        }
    }
    return true;
}

} // namespace

class TestSearchSpace : public QObject {
    Q_OBJECT
private slots:
    void encodingHasTheDocumentedWidths()
    {
        auto s = everyKind();
        QCOMPARE(s.dimension(), 1 + 1 + 1 + 1 + 3 + 1 + 5);
        Assignment a{{"b.real", 0.5}, {"b.log", 1e-2}, {"b.int", 33}, {"b.ord", 32}, {"b.cat", "tanh"},
                     {"b.flag", true}, {"b.dil", Value::array({2, 8})}};
        Eigen::VectorXd x = s.encode(a);
        QVERIFY(std::abs(x[0] - 0.5) < 1e-12);        // (0.5 + 2) / 5
        QVERIFY(std::abs(x[1] - 2.0 / 3.0) < 1e-12);  // log scale: 1e-2 is two thirds up from 1e-4 to 1e-1
        QVERIFY(std::abs(x[2] - 0.5) < 1e-12);        // 33 is the middle of 3..63
        QVERIFY(std::abs(x[3] - 2.0 / 3.0) < 1e-12);  // third of four ordered choices
        QCOMPARE(x.segment(4, 3), Eigen::Vector3d(0, 1, 0)); // one-hot
        QCOMPARE(x[7], 1.0);
        Eigen::VectorXd bits(5);
        bits << 0, 1, 0, 1, 0;
        QCOMPARE(Eigen::VectorXd(x.segment(8, 5)), bits);
    }

    void everyKindRoundTrips()
    {
        auto s = everyKind();
        Rng rng(11);
        for (int i = 0; i < 300; ++i) {
            Assignment a = s.sample(rng);
            for (const auto& p : s.parameters())
                QVERIFY2(p.domain.contains(a.at(p.key)), qPrintable(QString::fromStdString(p.key)));
            QVERIFY(sameAssignment(s.decode(s.encode(a)), a));
            Eigen::VectorXd x = s.sampleEncoded(rng);
            QVERIFY((s.snap(x) - x).norm() < 1e-9); // samples are already canonical
        }
    }

    void decodeRoundsAndRepairs()
    {
        auto s = everyKind();
        Eigen::VectorXd x = Eigen::VectorXd::Constant(s.dimension(), 0.3);
        x[2] = 0.49; // 3 + 0.49 * 60 = 32.4 -> 32
        x[3] = 0.8;  // 0.8 * 3 = 2.4 -> third choice
        x.segment(4, 3) << 0.2, 0.1, 0.7;
        x[7] = 0.6;
        x.segment(8, 5) << 0.9, 0.1, 0.2, 0.3, 0.4; // one member, below the minimum of two: add the strongest
        Assignment a = s.decode(x);
        QCOMPARE(a.at("b.int"), Value(32));
        QCOMPARE(a.at("b.ord"), Value(32));
        QCOMPARE(a.at("b.cat"), Value("gelu"));
        QCOMPARE(a.at("b.flag"), Value(true));
        QCOMPARE(a.at("b.dil"), Value::array({1, 16}));
        x.segment(8, 5).setConstant(0.9); // five members, above the maximum of four: drop the weakest
        x[12] = 0.8;
        QCOMPARE(s.decode(x).at("b.dil"), Value::array({1, 2, 4, 8}));
        QVERIFY(s.parameter("b.log")->domain.contains(s.decode(Eigen::VectorXd::Ones(s.dimension())).at("b.log")));
    }

    void inactiveParametersDoNotMoveTheKernel()
    {
        SearchSpace s({param("m.backbone", Domain::categorical({"tcn", "mlp"})),
                       param("m.dilations", Domain::subset({1, 2, 4}, 1, 3), Value::array({1}),
                             Condition{"m.backbone", {"tcn"}}),
                       param("m.units", Domain::integer(4, 64), 16)});
        Assignment a{{"m.backbone", "mlp"}, {"m.dilations", Value::array({1, 2})}, {"m.units", 10}};
        Assignment b = a;
        b["m.dilations"] = Value::array({4});
        QVERIFY(!s.active(*s.parameter("m.dilations"), a));
        QCOMPARE(s.encode(a), s.encode(b));
        QVERIFY(s.encode(a).segment(2, 3).isZero());
        // Decoding reports the inactive parameter's fixed value; active again, the value matters.
        QCOMPARE(s.decode(s.encode(a)).at("m.dilations"), Value::array({1}));
        a["m.backbone"] = b["m.backbone"] = "tcn";
        QVERIFY(s.encode(a) != s.encode(b));
        // Samples of the inactive branch always carry the fixed value.
        Rng rng(2);
        for (int i = 0; i < 50; ++i) {
            auto x = s.sample(rng);
            if (x.at("m.backbone") == "mlp")
                QCOMPARE(x.at("m.dilations"), Value::array({1}));
        }
    }

    void conditionsComeFromTheRegistry()
    {
        ProgramGraph g;
        Block b{"feat", "features.statistics", "", {}, {}};
        b.params["fft_mean"] = Parameter{true, Domain::boolean()};
        b.params["fft_bins"] = Parameter{8, Domain::integer(1, 64)};
        g.addBlock(b);
        auto registry = BlockRegistry::builtin();
        auto s = SearchSpace::fromGraph(g, registry);
        QCOMPARE(int(s.parameters().size()), 2);
        const SearchParameter* bins = s.parameter("feat.fft_bins");
        QVERIFY(bins && bins->condition);
        QCOMPARE(bins->condition->param, std::string("feat.fft_mean"));
        Assignment off{{"feat.fft_mean", false}, {"feat.fft_bins", 30}};
        Assignment off2{{"feat.fft_mean", false}, {"feat.fft_bins", 2}};
        QCOMPARE(s.encode(off), s.encode(off2));

        // With the switch fixed off, the bins are not searched at all.
        g.setParameter("feat", "fft_mean", Parameter{false, std::nullopt});
        auto fixedOff = SearchSpace::fromGraph(g, registry);
        QVERIFY(fixedOff.empty());
        g.setParameter("feat", "fft_mean", Parameter{true, std::nullopt});
        auto fixedOn = SearchSpace::fromGraph(g, registry);
        QCOMPARE(int(fixedOn.parameters().size()), 1);
        QVERIFY(!fixedOn.parameters()[0].condition);
    }

    void constraintsParseAndEvaluate()
    {
        std::map<std::string, double> v{{"tcn.filters", 12}, {"tcn.stacks", 3}, {"a.x", 0.5}};
        auto lookup = [&](const std::string& k) { return v.at(k); };
        QVERIFY(Constraint::parse("tcn.filters * tcn.stacks <= 96").holds(lookup));
        QVERIFY(!Constraint::parse("tcn.filters * tcn.stacks < 36").holds(lookup));
        QVERIFY(Constraint::parse("1 + 2 * 3 == 7").holds(lookup));          // precedence
        QVERIFY(Constraint::parse("(1 + 2) * 3 == 9 && -a.x < 0").holds(lookup));
        QVERIFY(Constraint::parse("a.x > 1 || tcn.stacks / 3 == 1").holds(lookup));
        QVERIFY(!Constraint::parse("a.x > 1 || tcn.stacks != 3").holds(lookup));
        auto c = Constraint::parse("tcn.filters*tcn.stacks<=96");
        QCOMPARE(c.names(), (std::set<std::string>{"tcn.filters", "tcn.stacks"}));
        for (const char* bad : {"tcn.filters <=", "filters < 3", "(a.x < 1", "a.x < 1 )", "a.x # 2"}) {
            try {
                Constraint::parse(bad);
                QFAIL(bad);
            } catch (const ConstraintError& e) {
                QVERIFY2(std::string(e.what()).find("at character") != std::string::npos, e.what());
            }
        }
    }

    void samplesRespectConstraints()
    {
        SearchSpace s({param("tcn.filters", Domain::integer(3, 63)), param("tcn.stacks", Domain::integer(1, 3))},
                      {Constraint::parse("tcn.filters * tcn.stacks <= 96")});
        Rng rng(5);
        bool sawLarge = false;
        for (int i = 0; i < 300; ++i) {
            auto a = s.sample(rng);
            QVERIFY(a.at("tcn.filters").get<int>() * a.at("tcn.stacks").get<int>() <= 96);
            sawLarge |= a.at("tcn.filters").get<int>() > 40;
            QVERIFY(s.satisfiesConstraints(s.sampleEncoded(rng)));
        }
        QVERIFY(sawLarge);
        try {
            SearchSpace bad({param("a.x", Domain::real(0, 1))}, {Constraint::parse("a.y < 1")});
            QFAIL("unknown name accepted");
        } catch (const ConstraintError& e) {
            QVERIFY(std::string(e.what()).find("a.y") != std::string::npos);
        }
    }

    void graphConstraintsMayNameFixedParameters()
    {
        ProgramGraph g;
        Block b{"feat", "features.statistics", "", {}, {}};
        b.params["fft_bins"] = Parameter{8, Domain::integer(1, 64)};
        b.params["fft_mean"] = Parameter{true, std::nullopt};
        g.addBlock(b);
        auto s = SearchSpace::fromGraph(g, BlockRegistry::builtin(), {"feat.fft_bins * feat.fft_mean <= 10"});
        Rng rng(1);
        for (int i = 0; i < 50; ++i)
            QVERIFY(s.sample(rng).at("feat.fft_bins").get<int>() <= 10);
    }
};

QTEST_APPLESS_MAIN(TestSearchSpace)
#include "test_search_space.moc"
