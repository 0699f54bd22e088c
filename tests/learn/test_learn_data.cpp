// Loaders (malformed input names file and line), windowing, subject-wise splits, train-only
// normalisation, the synthetic generator's physics, a few real earable files read in place, and
// the twisted copies that augment a training split.
#include "learn/Augmentation.h"
#include "learn/DatasetCache.h"
#include "learn/Loaders.h"
#include "learn/ProgramCompiler.h"
#include <QtTest>
#include <QTemporaryDir>
#include <cmath>
#include <fstream>
#include <set>

using namespace nesy::learn;

namespace {

std::filesystem::path writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& text)
{
    const std::filesystem::path p = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream(p) << text;
    return p;
}

template <typename F>
QString errorOf(F&& f)
{
    try {
        f();
    } catch (const DataError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

std::filesystem::path earableFolder()
{
    const char* env = std::getenv("NESY_SHARED_DATA");
    if (!env || !*env)
        return {};
    return std::filesystem::path(env) / "earable-activity";
}

} // namespace

class TestLearnData : public QObject {
    Q_OBJECT
private slots:
    void csvLoadsRecordingsByConsecutiveSubjectAndLabel()
    {
        QTemporaryDir dir;
        const auto file = writeFile(dir, "a.csv",
                                    "time,ax,label,subject\n0,1,walk,1\n0.5,2,walk,1\n1.0,3,walk,1\n"
                                    "0,5,sit,2\n1,7,sit,2\n");
        CsvOptions o;
        o.rateHz = 2.0;
        const RecordingSet set = loadCsv(file, o);
        QCOMPARE(set.recordings.size(), std::size_t(2));
        QCOMPARE(set.channels(), 1);
        QCOMPARE(set.classNames.size(), std::size_t(2));
        QCOMPARE(set.recordings[1].subject, 2);
        // resampled at 2 Hz on the time column: 5, 6, 7
        QCOMPARE(set.recordings[1].length, 3);
        QCOMPARE(set.recordings[1].samples[1], 6.0f);
    }
    void timestampBurstsAreSpreadAtTheSampleRate()
    {
        // Rows arrive three at a time (one time stamp per burst) from a 10 Hz ramp; a burst is lost
        // between 0.3 and 0.9. The rows of a burst are spread back from its stamp 0.1 s apart.
        QTemporaryDir dir;
        const auto file = writeFile(dir, "b.csv",
                                    "time,ax,label,subject\n0,1,a,1\n0,2,a,1\n0.001,3,a,1\n0.3,4,a,1\n0.3,5,a,1\n"
                                    "0.3,6,a,1\n0.9,10,a,1\n0.9,11,a,1\n0.9,12,a,1\n");
        CsvOptions o;
        o.rateHz = 10.0;
        const Recording r = loadCsv(file, o).recordings.at(0);
        // sample times -0.199, -0.099, 0.001, ~0.1, ~0.2, 0.3, 0.7, 0.8, 0.9; grid -0.199 + k / 10
        QCOMPARE(r.length, 11);
        for (int i = 0; i < 6; ++i)
            QVERIFY2(std::fabs(r.samples[i] - float(i + 1)) < 0.02f, qPrintable(QString::number(r.samples[i])));
        // the lost burst is bridged linearly from 6 (t = 0.3) to 10 (t = 0.7)
        QVERIFY(std::fabs(r.samples[7] - 8.0f) < 0.02f);
        QVERIFY(std::fabs(r.samples[10] - 11.0f) < 0.02f); // t = 0.801
    }
    void malformedInputNamesFileAndLine()
    {
        QTemporaryDir dir;
        const QString missing = errorOf([&] { loadCsv(std::filesystem::path(dir.path().toStdString()) / "nope.csv"); });
        QVERIFY2(missing.contains("nope.csv") && missing.contains("cannot open"), qPrintable(missing));

        const auto ragged = writeFile(dir, "ragged.csv", "time,ax,label,subject\n0,1,w,1\n1,2,w\n");
        const QString r = errorOf([&] { loadCsv(ragged); });
        QVERIFY2(r.contains("ragged.csv:3") && r.contains("found 3"), qPrintable(r));

        const auto text = writeFile(dir, "text.csv", "time,ax,label,subject\n0,1,w,1\n1,abc,w,1\n");
        const QString t = errorOf([&] { loadCsv(text); });
        QVERIFY2(t.contains("text.csv:3") && t.contains("\"abc\" is not a number"), qPrintable(t));

        const auto noLabel = writeFile(dir, "nolabel.csv", "time,ax,subject\n0,1,1\n");
        QVERIFY(errorOf([&] { loadCsv(noLabel); }).contains("no label column"));

        const auto earable = writeFile(dir, "3_W.csv", "1,2,3,4,5,6,0\n1,2,3,4,5,x,0.01\n");
        const QString e = errorOf([&] { readEarableFile(earable, {}); });
        QVERIFY2(e.contains("3_W.csv:2") && e.contains("column 6"), qPrintable(e));
        const auto short7 = writeFile(dir, "4_W.csv", "1,2,3,4,5,6,0\n1,2,3\n");
        QVERIFY(errorOf([&] { readEarableFile(short7, {}); }).contains("4_W.csv:2: expected 7 columns"));
        const auto backwards = writeFile(dir, "5_W.csv", "1,2,3,4,5,6,1\n1,2,3,4,5,6,0.5\n");
        QVERIFY(errorOf([&] { readEarableFile(backwards, {}); }).contains("goes backwards"));
    }
    void earableFolderRejectsStrangeNames()
    {
        QTemporaryDir dir;
        writeFile(dir, "1_Q.csv", "1,2,3,4,5,6,0\n");
        QVERIFY(errorOf([&] { loadEarableFolder(dir.path().toStdString()); }).contains("unknown class code"));
        QVERIFY(errorOf([&] { loadEarableFolder("/nonexistent/folder"); }).contains("not a folder"));
    }
    void windowing()
    {
        RecordingSet set;
        set.classNames = {"a"};
        set.channelNames = {"x", "y"};
        Recording r;
        r.subject = 4;
        r.length = 10;
        for (int i = 0; i < 20; ++i)
            r.samples.push_back(float(i));
        set.recordings = {r};
        const Dataset d = makeWindows(set, 4, 3); // starts 0, 3, 6
        QCOMPARE(d.size(), std::size_t(3));
        QCOMPARE(d.window(1)[0], 6.0f); // sample 3, channel 0
        QCOMPARE(d.subjects[2], 4);
        QCOMPARE(makeWindows(set, 11, 1).size(), std::size_t(0));
    }
    void concatChannelsJoinsPerSample()
    {
        RecordingSet set;
        set.classNames = {"a"};
        set.channelNames = {"x", "y"};
        Recording r;
        r.subject = 2;
        r.length = 6;
        for (int i = 0; i < 12; ++i)
            r.samples.push_back(float(i));
        set.recordings = {r};
        const Dataset a = makeWindows(set, 3, 3);
        Dataset b = a;
        b.channels = 1;
        b.channelNames = {"z"};
        b.values = {100, 101, 102, 103, 104, 105};
        const Dataset c = concatChannels(a, b);
        QCOMPARE(c.channels, 3);
        QCOMPARE(c.channelNames, (std::vector<std::string>{"x", "y", "z"}));
        // window 1, sample 0: x = 6, y = 7, z = 103
        QCOMPARE(c.window(1)[0], 6.0f);
        QCOMPARE(c.window(1)[1], 7.0f);
        QCOMPARE(c.window(1)[2], 103.0f);
        QCOMPARE(c.labels, a.labels);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, concatChannels(a, makeWindows(set, 2, 2)));
    }
    void splitsAreBySubject()
    {
        const auto synth = generateSyntheticImu({5, 6.0, 20.0, 3});
        const Dataset all = makeWindows(synth, 20, 10);
        const SubjectSplit split = proportionalSplit({1, 2, 3, 4, 5});
        QCOMPARE(split.train.size(), std::size_t(3));
        QCOMPARE(split.validation.size(), std::size_t(1));
        QCOMPARE(split.test.size(), std::size_t(1));
        const SplitData s = splitBySubject(all, split);
        std::set<int> tr(s.train.subjects.begin(), s.train.subjects.end());
        for (const Dataset* other : {&s.validation, &s.test})
            for (int subject : other->subjects)
                QVERIFY(!tr.count(subject));
        QCOMPARE(s.train.size() + s.validation.size() + s.test.size(), all.size());
        SubjectSplit overlapping{{1, 2}, {2}, {3}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, splitBySubject(all, overlapping));
        QCOMPARE(parseSubjectList("1-3, 7"), (std::vector<int>{1, 2, 3, 7}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseSubjectList("1-x"));
    }
    void normalisationFitsTrainingOnly()
    {
        Dataset train;
        train.length = 2;
        train.channels = 1;
        const float a[2] = {1, 3};
        train.append(a, 0, 1);
        Dataset test = train.emptyLike();
        const float b[2] = {100, 100};
        test.append(b, 0, 2);
        const Normalizer n = Normalizer::fit(train);
        QCOMPARE(n.mean[0], 2.0f);
        QCOMPARE(n.stddev[0], 1.0f);
        n.apply(test);
        QCOMPARE(test.values[0], 98.0f);
    }
    void syntheticImuIsPhysicallyPlausible()
    {
        const RecordingSet set = generateSyntheticImu({2, 10.0, 50.0, 9});
        QCOMPARE(set.classNames.size(), std::size_t(7));
        auto norm = [](const float* s) { return std::sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]); };
        for (const Recording& r : set.recordings) {
            double meanNorm = 0, minNorm = 1e9, maxNorm = 0;
            for (int t = 0; t < r.length; ++t) {
                const double n = norm(&r.samples[std::size_t(t) * 6]);
                meanNorm += n / r.length;
                minNorm = std::min(minNorm, n);
                maxNorm = std::max(maxNorm, n);
            }
            const std::string& name = set.classNames[r.label];
            if (name == "standing" || name == "sitting" || name == "lying") // gravity only
                QVERIFY2(std::fabs(meanNorm - 1.0) < 0.06 && maxNorm < 1.3, name.c_str());
            if (name == "jumping") // free flight and landing impacts
                QVERIFY(minNorm < 0.3 && maxNorm > 2.5);
            if (name == "falling") // impact
                QVERIFY(maxNorm > 2.5);
        }
        // lying turns gravity away from the upright axis
        const Recording& lying = set.recordings[2];
        QCOMPARE(set.classNames[lying.label], std::string("lying"));
        QVERIFY(std::fabs(lying.samples[0]) < 0.6);
        // same seed, same data
        QCOMPARE(generateSyntheticImu({2, 10.0, 50.0, 9}).recordings[4].samples, set.recordings[4].samples);
    }
    void realEarableFilesInPlace()
    {
        const auto folder = earableFolder();
        QVERIFY2(!folder.empty() && std::filesystem::exists(folder / "1_W.csv"),
                 "real data missing: set NESY_SHARED_DATA to the shared data folder holding earable-activity/");
        const Recording w = readEarableFile(folder / "1_W.csv", {});
        QVERIFY(w.length > 550);
        // upright: gravity mostly on x
        QVERIFY(w.samples[0] < -0.5f);
        EarableOptions o;
        o.subjects = {1, 2};
        const RecordingSet set = loadEarableFolder(folder, o);
        QVERIFY(set.recordings.size() >= 16);
        for (const Recording& r : set.recordings)
            QVERIFY(r.subject == 1 || r.subject == 2);
        o.timing = Timing::Timestamps;
        o.magnitudes = true;
        const Recording m = readEarableFile(folder / "1_W.csv", o);
        QVERIFY(m.samples.size() == std::size_t(m.length) * 2);
        QVERIFY(std::fabs(m.samples[0] - 0.96f) < 0.1f);
    }
    void twistedCopiesTurnAboutTheSensorsZAxis()
    {
        const Dataset windows = makeWindows(generateSyntheticImu({2, 6.0, 20.0, 4}), 20, 20);
        const Dataset twisted = withTwistedCopies(windows, 2, 5);
        const std::size_t n = windows.size();
        QCOMPARE(twisted.size(), 3 * n);
        QVERIFY(std::equal(windows.values.begin(), windows.values.end(), twisted.values.begin())); // originals first
        int turned = 0;
        for (std::size_t copy = 1; copy <= 2; ++copy)
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t j = copy * n + i;
                QCOMPARE(twisted.labels[j], windows.labels[i]);
                QCOMPARE(twisted.subjects[j], windows.subjects[i]);
                // One angle per window, the same for acc and gyro: recover it from the first sample's
                // acc and check every acc and gyro sample against it.
                const float* a = windows.window(i);
                const float* b = twisted.window(j);
                const double angle = std::atan2(b[1], b[0]) - std::atan2(a[1], a[0]);
                const double c = std::cos(angle), s = std::sin(angle);
                for (int t = 0; t < windows.length; ++t)
                    for (int sensor = 0; sensor < 2; ++sensor) {
                        const float* x = a + t * 6 + 3 * sensor;
                        const float* y = b + t * 6 + 3 * sensor;
                        QVERIFY(std::fabs(y[0] - (c * x[0] - s * x[1])) < 1e-3);
                        QVERIFY(std::fabs(y[1] - (s * x[0] + c * x[1])) < 1e-3);
                        QCOMPARE(y[2], x[2]); // z, the twist axis, stays
                    }
                turned += std::fabs(std::sin(angle / 2)) > 0.05;
            }
        QVERIFY(turned > int(n)); // random angles, not (nearly) the identity
        QCOMPARE(withTwistedCopies(windows, 2, 5).values, twisted.values); // deterministic for a seed
        QVERIFY(withTwistedCopies(windows, 2, 6).values != twisted.values);
        QCOMPARE(withTwistedCopies(windows, 0, 5).values, windows.values);
        const Dataset slightly = withTwistedCopies(windows, 1, 5, 10.0); // angles within +-10 degrees
        for (std::size_t i = 0; i < n; ++i) {
            const float* a = windows.window(i);
            const float* b = slightly.window(n + i);
            const double angle = std::remainder(std::atan2(b[1], b[0]) - std::atan2(a[1], a[0]), 2 * M_PI);
            QVERIFY2(std::fabs(angle) <= 10.0 * M_PI / 180.0 + 1e-4, std::to_string(angle).c_str());
        }
        Dataset magnitudesOnly = windows.emptyLike();
        magnitudesOnly.channels = 2;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, withTwistedCopies(magnitudesOnly, 1, 1));
    }
    void trainTwistsAugmentTheTrainingSubjectsOnly()
    {
        const auto folder = earableFolder();
        QVERIFY2(!folder.empty() && std::filesystem::exists(folder / "1_W.csv"),
                 "real data missing: set NESY_SHARED_DATA to the shared data folder holding earable-activity/");
        DataSourceSpec source{"imu", "source.earable",
                              {{"rate_hz", 100}, {"window", 550}, {"stride", 275}, {"channels", "imu6"},
                               {"timing", "rows"}, {"train_subjects", "1-2"}, {"validation_subjects", "3"},
                               {"test_subjects", "4"}, {"train_twists", 0}},
                              folder};
        const SplitData plain = loadSource(source);
        source.params["train_twists"] = 2;
        const SplitData twisted = loadSource(source);
        QCOMPARE(twisted.train.size(), 3 * plain.train.size());
        QCOMPARE(twisted.validation.values, plain.validation.values);
        QCOMPARE(twisted.test.values, plain.test.values);
        source.params["channels"] = "magnitudes";
        try {
            loadSource(source);
            QFAIL("train_twists on the magnitudes alone was accepted");
        } catch (const CompileError& e) {
            QVERIFY2(std::string(e.what()).find("block \"imu\": train_twists") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestLearnData)
#include "test_learn_data.moc"
