// Each feature against values computed by hand (docs/features.md gives the definitions).
#include "learn/Features.h"
#include <QtTest>
#include <algorithm>
#include <array>
#include <cmath>

using namespace nesy::learn;

namespace {
FeatureOptions only(Feature f, int bins = 2)
{
    FeatureOptions o;
    o.enabled[int(f)] = true;
    o.fftBins = bins;
    return o;
}
// x = 1, 2, 3, 4, 10 (one channel, 5 samples, 5 Hz)
const float kX[5] = {1, 2, 3, 4, 10};
float one(Feature f)
{
    FeatureExtractor fx(only(f), 5, 1, 5.0);
    float out = 0;
    fx.extract(kX, &out);
    return out;
}
// Two channels interleaved: ch0 = 1 2 3 4 10, ch1 = 2 x ch0.
std::array<float, 10> twoChannels()
{
    std::array<float, 10> x{};
    for (int t = 0; t < 5; ++t) {
        x[2 * t] = kX[t];
        x[2 * t + 1] = 2 * kX[t];
    }
    return x;
}
FeatureOptions meanAndMax()
{
    FeatureOptions o = only(Feature::Mean);
    o.enabled[int(Feature::Max)] = true;
    return o;
}
} // namespace

class TestLearnFeatures : public QObject {
    Q_OBJECT
private slots:
    void statistics()
    {
        QCOMPARE(one(Feature::Mean), 4.0f);
        // sorted 1 2 3 4 10: P25 at pos 1 -> 2, P75 at pos 3 -> 4
        QCOMPARE(one(Feature::Iqr), 2.0f);
        QCOMPARE(one(Feature::Max), 10.0f);
        QCOMPARE(one(Feature::Median), 3.0f);
        // deviations -3 -2 -1 0 6: squares 9 4 1 0 36 = 50 / 5
        QCOMPARE(one(Feature::Variance), 10.0f);
        // |dev| 3 2 1 0 6 = 12 / 5
        QCOMPARE(one(Feature::Mad), 2.4f);
        QCOMPARE(one(Feature::AbsEnergy), 130.0f);
        QCOMPARE(one(Feature::PeakToPeak), 9.0f);
    }
    void interpolatedPercentiles()
    {
        // 4 samples 1 2 3 4: P25 at pos 0.75 -> 1.75, P75 at 2.25 -> 3.25, median at 1.5 -> 2.5
        const float x[4] = {4, 1, 3, 2};
        FeatureOptions o = only(Feature::Iqr);
        o.enabled[int(Feature::Median)] = true;
        FeatureExtractor fx(o, 4, 1, 1.0);
        float out[2];
        fx.extract(x, out);
        QCOMPARE(out[0], 1.5f);
        QCOMPARE(out[1], 2.5f);
    }
    void entropy()
    {
        // range 1..10 in 10 bins of 0.9: 1 -> bin 0, 2 -> 1, 3 -> 2, 4 -> 3, 10 -> 9: five bins of 1/5
        QVERIFY(std::fabs(one(Feature::Entropy) - float(std::log(5.0))) < 1e-6f);
        const float flat[4] = {2, 2, 2, 2};
        FeatureExtractor fx(only(Feature::Entropy), 4, 1, 1.0);
        float out = -1;
        fx.extract(flat, &out);
        QCOMPARE(out, 0.0f);
    }
    void spectrum()
    {
        // x = cos(2 pi t / 4) over 8 samples at 8 Hz: |X_2| = 4, every other bin 0.
        float x[8];
        for (int t = 0; t < 8; ++t)
            x[t] = float(std::cos(2 * M_PI * 2 * t / 8.0));
        FeatureOptions o = only(Feature::FftMean, 2);
        o.enabled[int(Feature::FundamentalFrequency)] = true;
        o.enabled[int(Feature::MaxPower)] = true;
        FeatureExtractor fx(o, 8, 1, 8.0);
        QCOMPARE(fx.outputSize(), 4);
        float out[4];
        fx.extract(x, out);
        // bins 1..4 in two groups {1,2} and {3,4}: means 2 and 0
        QVERIFY(std::fabs(out[0] - 2.0f) < 1e-5f);
        QVERIFY(std::fabs(out[1]) < 1e-5f);
        QVERIFY(std::fabs(out[2] - 2.0f) < 1e-6f); // bin 2 * 8 Hz / 8
        QVERIFY(std::fabs(out[3] - 2.0f) < 1e-5f); // 4^2 / 8
    }
    void channelMajorOrderAndNames()
    {
        const std::array<float, 10> x = twoChannels();
        FeatureOptions o = meanAndMax();
        FeatureExtractor fx(o, 5, 2, 5.0);
        float out[4];
        fx.extract(x.data(), out);
        QCOMPARE(out[0], 4.0f);
        QCOMPARE(out[1], 10.0f);
        QCOMPARE(out[2], 8.0f);
        QCOMPARE(out[3], 20.0f);
        const auto names = fx.outputNames({"a", "b"});
        QCOMPARE(QString::fromStdString(names[3]), QString("b.max"));
    }
    void tailRepeatsTheFeaturesOverTheLastSamples()
    {
        // tail of 3 samples: ch0 3 4 10 (mean 17/3, max 10), ch1 twice that.
        const std::array<float, 10> x = twoChannels();
        FeatureOptions o = meanAndMax();
        o.tailRows = 3;
        FeatureExtractor fx(o, 5, 2, 5.0);
        QCOMPARE(fx.outputSize(), 8);
        float out[8];
        fx.extract(x.data(), out);
        const float expected[8] = {4, 10, 8, 20, 17.0f / 3.0f, 10, 34.0f / 3.0f, 20};
        for (int k = 0; k < 8; ++k)
            QCOMPARE(out[k], expected[k]);
        const auto names = fx.outputNames({"a", "b"});
        QCOMPARE(int(names.size()), 8);
        QCOMPARE(QString::fromStdString(names[1]), QString("a.max"));
        QCOMPARE(QString::fromStdString(names[6]), QString("last3.b.mean"));

        // Spectral features of the tail use the tail's own length: the same as extracting it alone.
        FeatureOptions all = FeatureOptions::all(2);
        all.tailRows = 4;
        FeatureExtractor both(all, 5, 1, 5.0), tailAlone(FeatureOptions::all(2), 4, 1, 5.0);
        std::vector<float> b(both.outputSize()), t(tailAlone.outputSize());
        both.extract(kX, b.data());
        tailAlone.extract(kX + 1, t.data());
        QVERIFY(std::equal(t.begin(), t.end(), b.begin() + tailAlone.outputSize()));

        for (int bad : {-1, 1, 5, 6}) {
            o.tailRows = bad;
            try {
                FeatureExtractor(o, 5, 2, 5.0);
                QFAIL("a tail that is not shorter than the window was accepted");
            } catch (const std::invalid_argument& e) {
                QVERIFY2(QString(e.what()).contains("tail_rows"), e.what());
            }
        }
    }
    void everyFeatureSwitchable()
    {
        for (int f = 0; f < kFeatureCount; ++f) {
            FeatureExtractor fx(only(Feature(f), 3), 5, 1, 5.0);
            QCOMPARE(fx.outputSize(), f == int(Feature::FftMean) ? 3 : 1);
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureExtractor(FeatureOptions{}, 5, 1, 5.0));
    }
    void datasetExtractionMatchesSingleWindows()
    {
        Dataset d;
        d.classNames = {"a"};
        d.channelNames = {"x"};
        d.length = 5;
        d.channels = 1;
        d.sampleRateHz = 5;
        for (int i = 0; i < 300; ++i) {
            float w[5];
            for (int t = 0; t < 5; ++t)
                w[t] = kX[t] * float(i);
            d.append(w, 0, i);
        }
        FeatureExtractor fx(FeatureOptions::all(2), 5, 1, 5.0);
        const Dataset f = fx.extract(d, 2);
        QCOMPARE(f.channels, fx.outputSize());
        std::vector<float> single(fx.outputSize());
        fx.extract(d.window(299), single.data());
        for (int k = 0; k < fx.outputSize(); ++k)
            QCOMPARE(f.window(299)[k], single[k]);
    }
    void magnitudes()
    {
        Dataset d;
        d.length = 1;
        d.channels = 6;
        const float s[6] = {3, 4, 0, 0, 0, 2};
        d.append(s, 0, 1);
        const Dataset m = nesy::learn::magnitudes(d);
        QCOMPARE(m.channels, 2);
        QCOMPARE(m.values[0], 5.0f);
        QCOMPARE(m.values[1], 2.0f);
    }
    void magnitudesKeepingTheAxes()
    {
        Dataset d;
        d.length = 2;
        d.channels = 6;
        d.channelNames = {"ax", "ay", "az", "gx", "gy", "gz"};
        const float s[12] = {3, 4, 0, 0, 0, 2, 1, 2, 2, -6, 0, 8};
        d.append(s, 4, 9);
        const Dataset m = nesy::learn::magnitudes(d, true);
        QCOMPARE(m.channels, 8);
        QCOMPARE(m.length, 2);
        QCOMPARE(m.labels, d.labels);
        QCOMPARE(m.subjects, d.subjects);
        QCOMPARE(m.channelNames, (std::vector<std::string>{"ax", "ay", "az", "gx", "gy", "gz", "acc_norm", "gyro_norm"}));
        const std::vector<float> want = {3, 4, 0, 0, 0, 2, 5, 2, 1, 2, 2, -6, 0, 8, 3, 10};
        QCOMPARE(m.values, want);
    }
    void gravityAligned()
    {
        // gravity along z (the x sway averages out), gyro turning at 5 deg/s about z plus 3 about x
        Dataset d;
        d.length = 4;
        d.channels = 6;
        d.labels = {2};
        d.subjects = {7};
        for (float sway : {1.0f, -1.0f, 1.0f, -1.0f})
            d.values.insert(d.values.end(), {sway, 0, 1, 3, 0, 5});
        const Dataset g = nesy::learn::gravityAligned(d);
        QCOMPARE(g.channels, 4);
        QCOMPARE(g.length, 4);
        QCOMPARE(g.labels, d.labels);
        for (int t = 0; t < 4; ++t) {
            QCOMPARE(g.window(0)[t * 4 + 0], 1.0f); // acc . g
            QCOMPARE(g.window(0)[t * 4 + 1], 1.0f); // |sway|
            QCOMPARE(g.window(0)[t * 4 + 2], 5.0f); // turn rate about the vertical
            QCOMPARE(g.window(0)[t * 4 + 3], 3.0f);
        }
        // the same motion with the device worn turned 180 degrees about x (acc and gyro triples
        // both rotate): the same channels
        Dataset flipped = d;
        for (std::size_t i = 0; i < flipped.values.size(); i += 3) {
            flipped.values[i + 1] = -flipped.values[i + 1];
            flipped.values[i + 2] = -flipped.values[i + 2];
        }
        const Dataset h = nesy::learn::gravityAligned(flipped);
        for (std::size_t i = 0; i < g.values.size(); ++i)
            QCOMPARE(h.values[i], g.values[i]);
    }
};

QTEST_APPLESS_MAIN(TestLearnFeatures)
#include "test_learn_features.moc"
