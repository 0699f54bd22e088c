// The program-graph model: domains, conditions, edits and their invariants.
#include "graph/BlockRegistry.h"
#include "graph/ProgramGraph.h"
#include "graph/Validation.h"
#include <QtTest>

using namespace nesy;

class TestGraphModel : public QObject {
    Q_OBJECT
private slots:
    void domainsContainTheirValues()
    {
        QVERIFY(Domain::real(0, 1).contains(0.5));
        QVERIFY(!Domain::real(0, 1).contains(1.5));
        QVERIFY(!Domain::real(0, 1).contains("a"));
        QVERIFY(Domain::logReal(1e-4, 1e-1).contains(1e-3));
        QVERIFY(Domain::integer(3, 63).contains(16));
        QVERIFY(!Domain::integer(3, 63).contains(2.5));
        QVERIFY(!Domain::integer(3, 63).contains(64));
        QVERIFY(Domain::ordinal({8, 16, 32}).contains(16));
        QVERIFY(!Domain::ordinal({8, 16, 32}).contains(12));
        QVERIFY(Domain::categorical({"relu", "tanh"}).contains("tanh"));
        QVERIFY(Domain::boolean().contains(false));
        QVERIFY(!Domain::boolean().contains(0));
    }

    void subsetsAreIncreasingAndSized()
    {
        Domain d = Domain::subset({1, 2, 4, 8, 16, 32, 64, 128}, 3, 8);
        QVERIFY(d.contains(Value::array({1, 4, 16})));
        QVERIFY(!d.contains(Value::array({4, 1, 16})));  // not in universe order
        QVERIFY(!d.contains(Value::array({1, 4})));      // too few
        QVERIFY(!d.contains(Value::array({1, 3, 16})));  // 3 not in the set
        QVERIFY(!d.contains(Value::array({1, 1, 16})));  // repeated
        QCOMPARE(*d.cardinality(), 219.0);                // C(8,3)+...+C(8,8) = 256-1-8-28
    }

    void emptyDomainsSayWhy()
    {
        QVERIFY(Domain::real(2, 1).emptinessReason().has_value());
        QVERIFY(Domain::logReal(0, 1).emptinessReason()->find("low > 0") != std::string::npos);
        QVERIFY(Domain::categorical({}).emptinessReason().has_value());
        QVERIFY(Domain::subset({1, 2}, 3, 4).emptinessReason().has_value());
        QVERIFY(!Domain::subset({1, 2, 4}, 1, 2).emptinessReason().has_value());
        QVERIFY(!Domain::integer(1, 1).emptinessReason().has_value());
    }

    void domainJsonRoundTrips()
    {
        for (const Domain& d : {Domain::real(-1, 2), Domain::logReal(1e-5, 0.1), Domain::integer(3, 63),
                                Domain::ordinal({8, 16}), Domain::categorical({"a", "b"}), Domain::boolean(),
                                Domain::subset({1, 2, 4, 8}, 1, 3)}) {
            Json j = d.toJson();
            QCOMPARE(Domain::fromJson(JsonReader(j)), d);
        }
    }

    void editsKeepTheGraphConsistent()
    {
        ProgramGraph g;
        g.addBlock({"a", "source.synthetic_imu", "", {}, {}});
        g.addBlock({"b", "features.statistics", "", {}, {}});
        QVERIFY_THROWS_EXCEPTION(GraphError, g.addBlock({"a", "x", "", {}, {}}));
        QVERIFY_THROWS_EXCEPTION(GraphError, g.addBlock({"a.b", "x", "", {}, {}}));
        Connection c{{"a", "windows"}, {"b", "window"}};
        g.connect(c);
        QVERIFY_THROWS_EXCEPTION(GraphError, g.connect(c));
        QVERIFY_THROWS_EXCEPTION(GraphError, g.connect({{"zz", "x"}, {"b", "window"}}));
        QCOMPARE(g.uniqueId("a"), std::string("a2"));
        QCOMPARE(g.uniqueId("c"), std::string("c"));

        auto removed = g.removeBlock("a");
        QCOMPARE(removed.size(), std::size_t(1));
        QVERIFY(g.connections().empty());
        QVERIFY(!g.contains("a"));
        // Undo restores the block at its index and its connections.
        g.addBlock({"a", "source.synthetic_imu", "", {}, {}}, 0);
        for (const auto& rc : removed)
            g.connect(rc);
        QCOMPARE(g.blocks().front().id, std::string("a"));
        QCOMPARE(g.connections().size(), std::size_t(1));
    }

    void assignmentFixesSearchedValues()
    {
        ProgramGraph g;
        Block b{"tcn", "backbone.tcn", "", {}, {}};
        b.params["filters"] = Parameter{16, Domain::integer(3, 63)};
        g.addBlock(b);
        auto searchable = g.searchableParameters();
        QCOMPARE(searchable.size(), std::size_t(1));
        QCOMPARE(searchable[0].first, std::string("tcn.filters"));
        ProgramGraph fixed = g.withAssignment({{"tcn.filters", 42}});
        QCOMPARE(fixed.block("tcn")->params.at("filters").value.get<int>(), 42);
        QVERIFY(fixed.block("tcn")->params.at("filters").search.has_value());
        QVERIFY_THROWS_EXCEPTION(GraphError, g.withAssignment({{"nope.filters", 1}}));
    }

    void conditionsFollowOtherParameters()
    {
        BlockRegistry r = BlockRegistry::builtin();
        const BlockType* t = r.find("features.statistics");
        QVERIFY(t);
        const ParamSpec* bins = t->param("fft_bins");
        QVERIFY(bins && bins->activeWhen);
        Block b{"f", "features.statistics", "", {}, {}};
        QVERIFY(parameterActive(b, *t, *bins)); // fft_mean defaults to on
        b.params["fft_mean"] = Parameter{false, std::nullopt};
        QVERIFY(!parameterActive(b, *t, *bins));
    }

    void registryDescribesEveryCategory()
    {
        BlockRegistry r = BlockRegistry::builtin();
        for (BlockCategory c : allCategories())
            QVERIFY2(!r.inCategory(c).empty(), categoryTitle(c).c_str());
        for (const BlockType* t : r.all()) {
            QVERIFY2(!t->explanation.empty(), t->id.c_str());
            for (const auto& p : t->params) {
                // Every default is legal, so a new block is valid as dropped.
                bool freeText = p.range.kind == DomainKind::Categorical && p.range.choices.empty();
                QVERIFY2(freeText ? p.defaultValue.is_string() : p.range.contains(p.defaultValue),
                         (t->id + "." + p.name).c_str());
                if (p.suggestedSearch)
                    QVERIFY2(!domainOutsideRange(*p.suggestedSearch, p.range), (t->id + "." + p.name).c_str());
            }
        }
        Json j = r.toJson();
        QCOMPARE(j.size(), r.size());
    }
};

QTEST_APPLESS_MAIN(TestGraphModel)
#include "test_graph_model.moc"
