// Gradients of every layer kind against central finite differences (in double-checked float).
#include "learn/Architectures.h"
#include "learn/Network.h"
#include <QtTest>
#include <cmath>
#include <random>

using namespace nesy::learn;

namespace {

// Loss = sum of outputs times fixed random coefficients: a linear read-out with a known gradient.
// Also reports which ReLUs and max-pool winners are active, so that a finite difference that
// crosses a kink (where the loss has no derivative) is recognised and left out.
struct Probe {
    Matrix coeffs;
    double loss(const ModelSpec& m, const std::vector<float>& x, int batch, std::vector<bool>* pattern = nullptr) const
    {
        Workspace ws;
        const Matrix& out = forward(m, x.data(), batch, ws);
        if (pattern) {
            pattern->clear();
            for (std::size_t li = 0; li < m.layers.size(); ++li) {
                if (m.layers[li].activation == Activation::ReLU)
                    for (Eigen::Index i = 0; i < ws.outputs[li].size(); ++i)
                        pattern->push_back(ws.outputs[li].data()[i] > 0.0f);
                for (int idx : ws.argmax[li])
                    for (int bit = 0; bit < 16; ++bit)
                        pattern->push_back((idx >> bit) & 1);
            }
        }
        return double((out.array() * coeffs.array()).sum());
    }
};

// Compares analytic and numeric gradients of every parameter and input; returns the worst
// relative error, ignoring entries where both are tiny.
double worstError(ModelSpec m, int batch, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::vector<float> x(std::size_t(batch) * m.input.size());
    for (float& v : x)
        v = g(rng);
    for (auto& l : m.layers)
        for (float& b : l.bias)
            b = 0.1f * g(rng); // non-zero biases exercise their gradient
    Probe p;
    p.coeffs = Matrix(batch, m.outputs);
    for (Eigen::Index i = 0; i < p.coeffs.size(); ++i)
        p.coeffs.data()[i] = g(rng);

    Workspace ws;
    forward(m, x.data(), batch, ws);
    std::vector<bool> base, up, down;
    p.loss(m, x, batch, &base);
    int checked = 0, kinks = 0;
    ParameterSet grads = ParameterSet::zerosLike(m);
    const Matrix dx = backwardToInput(m, x.data(), ws, p.coeffs, grads);

    const float eps = 3e-3f;
    double worst = 0;
    auto check = [&](float& value, double analytic) {
        const float keep = value;
        value = keep + eps;
        const double lossUp = p.loss(m, x, batch, &up);
        value = keep - eps;
        const double lossDown = p.loss(m, x, batch, &down);
        value = keep;
        if (up != base || down != base) {
            ++kinks;
            return;
        }
        ++checked;
        const double numeric = (lossUp - lossDown) / (2 * eps);
        const double scale = std::max({std::fabs(numeric), std::fabs(analytic), 1e-1});
        worst = std::max(worst, std::fabs(numeric - analytic) / scale);
    };
    for (std::size_t li = 0; li < m.layers.size(); ++li) {
        auto& l = m.layers[li];
        for (std::size_t i = 0; i < l.weights.size(); i += std::max<std::size_t>(1, l.weights.size() / 40))
            check(l.weights[i], grads.weights[li][i]);
        for (std::size_t i = 0; i < l.bias.size(); ++i)
            check(l.bias[i], grads.bias[li][i]);
    }
    for (std::size_t i = 0; i < x.size(); i += std::max<std::size_t>(1, x.size() / 40))
        check(x[i], dx.data()[i]);
    // Kinks are rare: most entries must have been compared.
    if (checked < 2 * kinks)
        return 1.0;
    return worst;
}

} // namespace

class TestLearnGradients : public QObject {
    Q_OBJECT
private slots:
    void dense()
    {
        const double e = worstError(buildMlp({1, 7}, 3, {2, 6}, 1), 3, 11);
        QVERIFY2(e < 2e-2, qPrintable(QString::number(e)));
    }
    void denseOnWindows()
    {
        const double e = worstError(buildMlp({5, 3}, 2, {1, 4}, 2), 2, 12);
        QVERIFY2(e < 2e-2, qPrintable(QString::number(e)));
    }
    void convSamePaddingMaxPoolAverage()
    {
        const double e = worstError(buildCnn1d({12, 2}, 3, {2, 4, 3, 2}, 3), 2, 13);
        QVERIFY2(e < 2e-2, qPrintable(QString::number(e)));
    }
    void dilatedCausalResidualAndSkip()
    {
        TcnConfig c;
        c.filters = 4;
        c.kernel = 3;
        c.dilations = {1, 2};
        c.stacks = 2;
        c.skip = true;
        const ModelSpec m = buildTcn({10, 2}, 3, c, 4);
        bool hasShortcut = false, hasSkip = false;
        for (const auto& l : m.layers) {
            hasShortcut |= l.name.find("shortcut") != std::string::npos;
            hasSkip |= l.name == "skip_sum" && l.inputs.size() == 4;
        }
        QVERIFY(hasShortcut);
        QVERIFY(hasSkip);
        const double e = worstError(m, 2, 14);
        QVERIFY2(e < 2e-2, qPrintable(QString::number(e)));
    }
    void forwardMatchesReference()
    {
        TcnConfig c;
        c.filters = 5;
        c.kernel = 3;
        c.dilations = {1, 4};
        c.skip = true;
        for (const ModelSpec& m : {buildTcn({16, 3}, 4, c, 5), buildCnn1d({16, 3}, 4, {2, 4, 5, 2}, 6),
                                   buildMlp({16, 3}, 4, {2, 8}, 7)}) {
            std::vector<float> x(std::size_t(2) * m.input.size());
            for (std::size_t i = 0; i < x.size(); ++i)
                x[i] = float(std::sin(0.37 * double(i)));
            Workspace ws;
            const Matrix out = forward(m, x.data(), 2, ws);
            for (int b = 0; b < 2; ++b) {
                const auto ref = runFloat(m, x.data() + std::size_t(b) * m.input.size());
                for (int k = 0; k < m.outputs; ++k)
                    QVERIFY(std::fabs(ref[k] - out(b, k)) < 1e-5f);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestLearnGradients)
#include "test_learn_gradients.moc"
