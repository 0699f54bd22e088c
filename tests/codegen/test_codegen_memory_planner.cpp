// The liveness-based memory planner never lets buffers that are live together share bytes, and
// reuses memory when lifetimes do not overlap.
#include "codegen/CGenerator.h"
#include "codegen/MemoryPlanner.h"
#include "codegen/SyntheticPrograms.h"
#include <QtTest>
#include <random>

using namespace nesy::codegen;

class TestMemoryPlanner : public QObject {
    Q_OBJECT
private slots:
    void reusesMemoryOfDeadBuffers()
    {
        // a -> b -> c: a is dead when c is written, so c can take a's place.
        std::vector<BufferRequest> bufs{{"a", 100, 0, 1}, {"b", 100, 1, 2}, {"c", 100, 2, 3}};
        MemoryPlan plan = planMemory(bufs);
        QVERIFY(findPlanConflict(bufs, plan).empty());
        QCOMPARE(plan.arenaBytes, std::int64_t(208)); // two 100-byte buffers, 8-byte aligned
    }

    void keepsLiveBuffersApart()
    {
        std::vector<BufferRequest> bufs{{"skip", 64, 0, 5}, {"x", 64, 1, 2}, {"y", 64, 2, 3}, {"z", 64, 3, 5}};
        MemoryPlan plan = planMemory(bufs);
        QVERIFY2(findPlanConflict(bufs, plan).empty(), findPlanConflict(bufs, plan).c_str());
        QVERIFY(plan.arenaBytes >= 3 * 64);
        QVERIFY(plan.arenaBytes < 4 * 64);
    }

    void detectsAConflictingPlan()
    {
        std::vector<BufferRequest> bufs{{"a", 16, 0, 2}, {"b", 16, 1, 3}};
        MemoryPlan bad{{0, 8}, 24};
        QVERIFY(!findPlanConflict(bufs, bad).empty());
    }

    void randomLifetimesNeverOverlap()
    {
        std::mt19937 rng(7);
        for (int round = 0; round < 300; ++round) {
            std::vector<BufferRequest> bufs;
            int n = 1 + static_cast<int>(rng() % 20);
            for (int i = 0; i < n; ++i) {
                int first = static_cast<int>(rng() % 15);
                bufs.push_back({std::string("b").append(std::to_string(i)), static_cast<std::int64_t>(rng() % 500),
                                first, first + static_cast<int>(rng() % 6)});
            }
            MemoryPlan plan = planMemory(bufs);
            std::string conflict = findPlanConflict(bufs, plan);
            QVERIFY2(conflict.empty(), conflict.c_str());
            // Never worse than giving every buffer its own bytes.
            std::int64_t sum = 0;
            for (const auto& b : bufs)
                sum += (b.bytes + 7) / 8 * 8;
            QVERIFY(plan.arenaBytes <= sum);
        }
    }

    void generatedProgramsHaveConflictFreeArenas()
    {
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            ProgramIR p = syntheticProgram(randomSyntheticOptions(seed), seed);
            GeneratedProgram g = generateC(p);
            std::string conflict = findPlanConflict(g.buffers, g.plan);
            QVERIFY2(conflict.empty(), (p.name + ": " + conflict).c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestMemoryPlanner)
#include "test_codegen_memory_planner.moc"
