// int8 arithmetic primitives by hand, and quantized inference against float for every backbone.
#include "learn/Architectures.h"
#include "learn/Metrics.h"
#include "learn/Quantizer.h"
#include "learn/Trainer.h"
#include "tiny_problems.h"
#include <QtTest>

using namespace nesy::learn;

namespace {

ModelSpec trained(ModelSpec m, const Dataset& train)
{
    TrainOptions o;
    o.epochs = 15;
    o.learningRate = 1e-2;
    nesy::learn::train(m, train, Dataset{}, o, nullptr);
    return m;
}

// Share of windows where the int8 model picks the float model's class.
double agreement(const ModelSpec& m, const Dataset& d)
{
    const auto f = argmaxRows(predictScores(m, d, nullptr));
    const auto q = predictInt8(m, d, nullptr);
    int same = 0;
    for (std::size_t i = 0; i < f.size(); ++i)
        same += f[i] == q[i];
    return double(same) / double(f.size());
}

} // namespace

class TestLearnQuantization : public QObject {
    Q_OBJECT
private slots:
    void fixedPointPrimitives()
    {
        const FixedMultiplier half = quantizeMultiplier(0.5);
        QCOMPARE(half.multiplier, std::int32_t(1) << 30);
        QCOMPARE(half.shift, 31);
        const FixedMultiplier m = quantizeMultiplier(0.003);
        QVERIFY(m.multiplier >= (1 << 30));
        QVERIFY(std::fabs(std::ldexp(double(m.multiplier), -m.shift) - 0.003) < 1e-11);
        QCOMPARE(roundingShift(5, 1), std::int64_t(3));   // 2.5 -> 3
        QCOMPARE(roundingShift(-5, 1), std::int64_t(-2)); // -2.5 -> -2 (half up)
        QCOMPARE(roundingShift(-7, 2), std::int64_t(-2)); // -1.75 -> -2
        // 100 * 0.5 + 3 = 53; clamps to 127 and to the ReLU floor
        QCOMPARE(int(requantize(100, half, 3)), 53);
        QCOMPARE(int(requantize(1000, half, 3)), 127);
        QCOMPARE(int(requantize(-100, half, 3, 3)), 3);
        const QuantParams q = chooseQuantParams(-1.0f, 3.0f);
        QCOMPARE(q.scale, 4.0f / 255.0f);
        QCOMPARE(q.zeroPoint, -64); // round(-128 + 63.75)
        QCOMPARE(int(quantizeInput(0.0f, q)), -64);
        QCOMPARE(int(quantizeInput(100.0f, q)), 127);
    }
    void mseCalibrationClipsRareOutliersOnly()
    {
        // 1e6 values in [0, 1) and one outlier at ~100, on 1000 bins of [0, 100]: the error
        // (99.95 - b)^2 + 1e6 (b / 255)^2 / 12 is least at b = 99.95 / (1 + 1e6 / (6 * 255^2)) = 43.8.
        std::vector<double> bins(1000, 0.0);
        for (int k = 0; k < 10; ++k)
            bins[k] = 1e5;
        bins[999] = 1;
        const auto [a, b] = mseOptimalRange(0.0f, 100.0f, bins);
        QCOMPARE(a, 0.0f);
        QVERIFY2(std::fabs(b - 43.8f) <= 0.2f, qPrintable(QString::number(b)));
        // evenly spread values keep (almost) their whole range, on both sides of zero
        const std::vector<double> flat(256, 10.0);
        const auto [lo, hi] = mseOptimalRange(-2.0f, 6.0f, flat);
        QVERIFY2(lo <= -1.9f && hi >= 5.9f, qPrintable(QString("%1 %2").arg(lo).arg(hi)));
        // a range that does not contain zero is widened to contain it, as chooseQuantParams does
        const auto [z, top] = mseOptimalRange(2.0f, 4.0f, std::vector<double>(64, 1.0));
        QCOMPARE(z, 0.0f);
        QVERIFY(top > 3.9f);
    }
    void mseCalibrationKeepsTheOutputRange()
    {
        const Dataset train = tiny::frequencies(60, 1);
        ModelSpec m = trained(buildMlp({32, 2}, 3, {1, 16}, 1), train);
        ModelSpec minMax = m;
        quantize(m, train);
        quantize(minMax, train, {512, Calibration::MinMax});
        QCOMPARE(m.layers.back().outQuant.scale, minMax.layers.back().outQuant.scale);
        QCOMPARE(m.layers.back().outQuant.zeroPoint, minMax.layers.back().outQuant.zeroPoint);
        // hidden ranges never grow beyond min/max
        QVERIFY(m.layers.front().outQuant.scale <= minMax.layers.front().outQuant.scale);
        QVERIFY(m.inputQuant.scale <= minMax.inputQuant.scale);
    }
    void everyBackboneAgreesWithFloat()
    {
        const Dataset train = tiny::frequencies(60, 1), test = tiny::frequencies(30, 2);
        TcnConfig tc;
        tc.filters = 8;
        tc.kernel = 3;
        tc.dilations = {1, 2, 4};
        tc.skip = true;
        const ModelSpec models[] = {trained(buildMlp({32, 2}, 3, {1, 16}, 1), train),
                                    trained(buildCnn1d({32, 2}, 3, {2, 8, 5, 2}, 1), train),
                                    trained(buildTcn({32, 2}, 3, tc, 1), train)};
        for (const Calibration calibration : {Calibration::MinMax, Calibration::Mse})
        for (ModelSpec m : models) {
            quantize(m, train, {512, calibration});
            QVERIFY(m.quantized);
            const double a = agreement(m, test);
            QVERIFY2(a >= 0.95, qPrintable(QString::fromStdString(m.layers[0].name) + " " + QString::number(a)));
            const double fa = accuracy(confusionMatrix(test.labels, argmaxRows(predictScores(m, test, nullptr)), 3));
            const double qa = accuracy(confusionMatrix(test.labels, predictInt8(m, test, nullptr), 3));
            QVERIFY2(std::fabs(fa - qa) <= 0.05, qPrintable(QString("%1 vs %2").arg(fa).arg(qa)));
            // dequantized scores close to float ones
            const auto f = runFloat(m, test.window(0));
            const auto q = runInt8Dequantized(m, test.window(0));
            const float tol = 6 * m.layers.back().outQuant.scale + 0.05f * std::fabs(f[0]);
            for (std::size_t k = 0; k < f.size(); ++k)
                QVERIFY2(std::fabs(f[k] - q[k]) < tol + 0.1f * std::fabs(f[k]), qPrintable(QString("%1 vs %2").arg(f[k]).arg(q[k])));
        }
    }
    void exactByteCounts()
    {
        // conv 2->4, k3: 24 weights + 4 bias; dense 4->3: 12 + 3
        const ModelSpec m = buildCnn1d({10, 2}, 3, {1, 4, 3, 1}, 1);
        QCOMPARE(m.layerWeightBytes(0, false), std::size_t(4 * 28));
        QCOMPARE(m.layerWeightBytes(0, true), std::size_t(24 + 4 * 4 + 8 * 4));
        QCOMPARE(m.weightBytes(true), std::size_t(24 + 16 + 32 + 12 + 12 + 24));
        // arena: input 20 + conv out 40 live together at the conv (int8)
        QCOMPARE(m.arenaBytes(true), std::size_t(60));
        QCOMPARE(m.arenaBytes(false), std::size_t(240));
        QCOMPARE(m.multiplyAccumulates(), std::size_t(24 * 10 + 12));
    }
};

QTEST_APPLESS_MAIN(TestLearnQuantization)
#include "test_learn_quantization.moc"
