// Every backbone learns a tiny problem; the MSE head fits a regression; training is deterministic
// for a seed whatever the number of threads.
#include "learn/Architectures.h"
#include "learn/Metrics.h"
#include "learn/Trainer.h"
#include "tiny_problems.h"
#include <QtTest>

using namespace nesy::learn;

namespace {
double testAccuracy(ModelSpec& m, const Dataset& train, const Dataset& test, int epochs, ThreadPool* pool = nullptr)
{
    TrainOptions o;
    o.epochs = epochs;
    o.learningRate = 1e-2;
    o.patience = epochs;
    nesy::learn::train(m, train, test, o, pool);
    return accuracy(confusionMatrix(test.labels, argmaxRows(predictScores(m, test, pool)), test.classes()));
}
} // namespace

class TestLearnBackbones : public QObject {
    Q_OBJECT
private slots:
    void mlpLearnsBlobs()
    {
        const Dataset train = tiny::blobs(100, 1), test = tiny::blobs(50, 2);
        ModelSpec m = buildMlp({1, 6}, 3, {1, 16}, 1);
        const double acc = testAccuracy(m, train, test, 20);
        QVERIFY2(acc > 0.9, qPrintable(QString::number(acc)));
    }
    void cnnLearnsFrequencies()
    {
        const Dataset train = tiny::frequencies(60, 1), test = tiny::frequencies(30, 2);
        ModelSpec m = buildCnn1d({32, 2}, 3, {2, 8, 5, 2}, 1);
        const double acc = testAccuracy(m, train, test, 25);
        QVERIFY2(acc > 0.9, qPrintable(QString::number(acc)));
    }
    void tcnLearnsFrequencies()
    {
        const Dataset train = tiny::frequencies(60, 1), test = tiny::frequencies(30, 2);
        TcnConfig c;
        c.filters = 8;
        c.kernel = 3;
        c.dilations = {1, 2, 4};
        c.skip = true;
        ModelSpec m = buildTcn({32, 2}, 3, c, 1);
        const double acc = testAccuracy(m, train, test, 25);
        QVERIFY2(acc > 0.9, qPrintable(QString::number(acc)));
    }
    void mseHeadFitsRegression()
    {
        // target = 2 * first feature - second feature
        Dataset d = tiny::blobs(100, 3);
        d.targetSize = 1;
        for (std::size_t i = 0; i < d.size(); ++i)
            d.targets.push_back(2 * d.window(i)[0] - d.window(i)[1]);
        ModelSpec m = buildMlp({1, 6}, 1, {1, 16}, 2);
        TrainOptions o;
        o.epochs = 60;
        o.learningRate = 1e-2;
        o.loss = Loss::MeanSquaredError;
        o.patience = 60;
        nesy::learn::train(m, d, Dataset{}, o, nullptr);
        const Matrix out = predictScores(m, d, nullptr);
        const double e = rmse(d.targets, std::vector<float>(out.data(), out.data() + out.size()));
        QVERIFY2(e < 0.25, qPrintable(QString::number(e)));
    }
    void deterministicForASeedWhateverTheThreads()
    {
        const Dataset train = tiny::frequencies(40, 5), val = tiny::frequencies(10, 6);
        TcnConfig c;
        c.filters = 6;
        c.kernel = 3;
        c.dilations = {1, 2};
        TrainOptions o;
        o.epochs = 3;
        o.batchSize = 64; // several chunks per batch
        ModelSpec a = buildTcn({32, 2}, 3, c, 7), b = a, single = a;
        ThreadPool pool(2);
        nesy::learn::train(a, train, val, o, &pool);
        nesy::learn::train(b, train, val, o, &pool);
        nesy::learn::train(single, train, val, o, nullptr);
        for (std::size_t li = 0; li < a.layers.size(); ++li) {
            QCOMPARE(a.layers[li].weights, b.layers[li].weights);
            QCOMPARE(a.layers[li].weights, single.layers[li].weights);
        }
        ModelSpec other = buildTcn({32, 2}, 3, c, 8);
        QVERIFY(other.layers[0].weights != buildTcn({32, 2}, 3, c, 7).layers[0].weights);
    }
    void reportedOrderIsTheOneTrainingUses()
    {
        // The order depends only on the seed and the number of windows. Seed 2 on the windows
        // rearranged as G[p2[j]] = D[p1[j]] visits the same windows in the same batches as seed 1
        // on D, so both runs end with the same weights exactly when the reported orders are the used ones.
        const Dataset d = tiny::frequencies(40, 3);
        TcnConfig c;
        c.filters = 4;
        c.kernel = 3;
        c.dilations = {1, 2};
        const ModelSpec init = buildTcn({32, 2}, 3, c, 1);
        auto trainReportingOrder = [&](std::uint64_t seed, const Dataset& data, ModelSpec& m) {
            TrainOptions o;
            o.epochs = 1;
            o.batchSize = 8;
            o.seed = seed;
            std::vector<std::size_t> order;
            o.onEpochOrder = [&](int, const std::vector<std::size_t>& v) { order = v; };
            nesy::learn::train(m, data, Dataset{}, o, nullptr);
            return order;
        };
        ModelSpec a = init, b = init, replay = init;
        const std::vector<std::size_t> p1 = trainReportingOrder(1, d, a), p2 = trainReportingOrder(2, d, b);
        QCOMPARE(p1.size(), d.size());
        QVERIFY(p1 != p2);
        QVERIFY(a.layers[0].weights != b.layers[0].weights); // the order matters
        std::vector<std::size_t> rearranged(d.size());
        for (std::size_t j = 0; j < d.size(); ++j)
            rearranged[p2[j]] = p1[j];
        QCOMPARE(trainReportingOrder(2, d.select(rearranged), replay), p2);
        for (std::size_t li = 0; li < a.layers.size(); ++li) {
            QCOMPARE(replay.layers[li].weights, a.layers[li].weights);
            QCOMPARE(replay.layers[li].bias, a.layers[li].bias);
        }
    }
    void withoutValidationTheLowestLossEpochIsKept()
    {
        // Labels unrelated to the windows and a large step: the training loss goes up and down.
        Dataset d = tiny::blobs(40, 4);
        for (std::size_t i = 0; i < d.size(); ++i)
            d.labels[i] = int(i * 7 / 5 % 3);
        ModelSpec m = buildMlp({1, 6}, 3, {1, 8}, 1);
        TrainOptions o;
        o.epochs = 7;
        o.learningRate = 5e-1;
        std::vector<ModelSpec> perEpoch;
        o.onEpochWeights = [&](int epoch, const ModelSpec& w) {
            QCOMPARE(std::size_t(epoch), perEpoch.size() + 1);
            perEpoch.push_back(w);
        };
        const TrainReport r = nesy::learn::train(m, d, Dataset{}, o, nullptr);
        QCOMPARE(int(perEpoch.size()), r.epochsRun);
        const auto lowest = std::min_element(r.trainLoss.begin(), r.trainLoss.end());
        QCOMPARE(r.bestEpoch, int(lowest - r.trainLoss.begin()) + 1);
        QVERIFY(r.bestEpoch < r.epochsRun); // the fixture makes the last epoch not the best
        for (std::size_t li = 0; li < m.layers.size(); ++li)
            QCOMPARE(m.layers[li].weights, perEpoch[std::size_t(r.bestEpoch - 1)].layers[li].weights);
        QVERIFY(perEpoch.front().layers[0].weights != perEpoch.back().layers[0].weights);
    }
    void earlyStoppingKeepsTheBestEpoch()
    {
        const Dataset train = tiny::blobs(50, 1), val = tiny::blobs(20, 2);
        ModelSpec m = buildMlp({1, 6}, 3, {1, 8}, 1);
        TrainOptions o;
        o.epochs = 200;
        o.patience = 2;
        const TrainReport r = nesy::learn::train(m, train, val, o, nullptr);
        QVERIFY(r.epochsRun < 200);
        QVERIFY(r.bestEpoch >= 1 && r.bestEpoch <= r.epochsRun);
        const double acc = accuracy(confusionMatrix(val.labels, argmaxRows(predictScores(m, val, nullptr)), 3));
        QCOMPARE(acc, r.bestValidationScore);
    }
    void balancedClassesWeighTheLoss()
    {
        const Dataset balanced = tiny::blobs(30, 1), test = tiny::blobs(30, 2);
        TrainOptions o;
        o.epochs = 5;
        o.learningRate = 1e-2;
        // equal class counts: every weight is exactly 1, so training is unchanged
        ModelSpec plain = buildMlp({1, 6}, 3, {1, 8}, 1), weighted = plain;
        nesy::learn::train(plain, balanced, Dataset{}, o, nullptr);
        o.balanceClasses = true;
        nesy::learn::train(weighted, balanced, Dataset{}, o, nullptr);
        QCOMPARE(weighted.layers[0].weights, plain.layers[0].weights);
        // few windows of classes 1 and 2: weighting changes the training and still learns them
        std::vector<std::size_t> keep;
        for (std::size_t i = 0; i < balanced.size(); ++i)
            if (balanced.labels[i] == 0 || (i / 3) % 5 == 0) // windows interleave the 3 classes
                keep.push_back(i);
        const Dataset skewed = balanced.select(keep);
        ModelSpec a = buildMlp({1, 6}, 3, {1, 8}, 1), b = a;
        o.epochs = 30;
        nesy::learn::train(a, skewed, Dataset{}, o, nullptr);
        o.balanceClasses = false;
        nesy::learn::train(b, skewed, Dataset{}, o, nullptr);
        QVERIFY(a.layers[0].weights != b.layers[0].weights);
        const double ba = balancedAccuracy(confusionMatrix(test.labels, argmaxRows(predictScores(a, test, nullptr)), 3));
        QVERIFY2(ba > 0.85, qPrintable(QString::number(ba)));
    }
    void labelSmoothingCapsTheConfidence()
    {
        // Smoothed targets (1 - e on the true class, e / K everywhere) make p(true) = 1 - e + e / K
        // optimal, so the trained model stays below it while one-hot targets push towards 1.
        const Dataset train = tiny::blobs(60, 1), test = tiny::blobs(30, 2);
        auto meanTopProbability = [&](const ModelSpec& m) {
            const Matrix s = predictScores(m, train, nullptr);
            double sum = 0;
            for (Eigen::Index r = 0; r < s.rows(); ++r) {
                const Eigen::RowVectorXf e = (s.row(r).array() - s.row(r).maxCoeff()).exp();
                sum += e.maxCoeff() / e.sum();
            }
            return sum / double(s.rows());
        };
        TrainOptions o;
        o.epochs = 80;
        o.learningRate = 1e-2;
        o.patience = 80;
        ModelSpec plain = buildMlp({1, 6}, 3, {1, 16}, 1), smoothed = plain;
        nesy::learn::train(plain, train, Dataset{}, o, nullptr);
        o.labelSmoothing = 0.3; // optimum p(true) = 0.8
        nesy::learn::train(smoothed, train, Dataset{}, o, nullptr);
        const double top = meanTopProbability(smoothed), topPlain = meanTopProbability(plain);
        QVERIFY2(top < 0.84, qPrintable(QString::number(top)));
        QVERIFY2(topPlain > 0.9, qPrintable(QString::number(topPlain)));
        const double acc = accuracy(confusionMatrix(test.labels, argmaxRows(predictScores(smoothed, test, nullptr)), 3));
        QVERIFY2(acc > 0.9, qPrintable(QString::number(acc)));
    }
    void metrics()
    {
        // truth 0 0 1 1 2, predicted 0 1 1 1 0
        const ConfusionMatrix c = confusionMatrix({0, 0, 1, 1, 2}, {0, 1, 1, 1, 0}, 3);
        QCOMPARE(accuracy(c), 0.6);
        QCOMPARE(balancedAccuracy(c), (0.5 + 1.0 + 0.0) / 3);
        // F1: class0 2*1/(2+2)=0.5, class1 2*2/(2+3)=0.8, class2 0
        QVERIFY(std::fabs(macroF1(c) - (0.5 + 0.8 + 0.0) / 3) < 1e-12);
        QVERIFY(std::fabs(rmse({1, 2}, {2, 4}) - std::sqrt(2.5)) < 1e-12);
    }
};

QTEST_APPLESS_MAIN(TestLearnBackbones)
#include "test_learn_backbones.moc"
