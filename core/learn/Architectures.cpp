#include "Architectures.h"
#include <cmath>
#include <random>
#include <stdexcept>

namespace nesy::learn {

namespace {

class Builder {
public:
    Builder(Shape input, std::uint64_t seed) : rng_(seed) { model_.input = input; }

    Shape shapeOf(int index) const { return index < 0 ? model_.input : model_.layers[index].out; }

    int conv(int from, int filters, int kernel, int dilation, Padding padding, Activation act, const std::string& name)
    {
        LayerSpec l = base(LayerKind::Conv1D, from, name);
        l.kernel = kernel;
        l.dilation = dilation;
        l.padding = padding;
        l.activation = act;
        l.out = {l.in.length, filters};
        init(l, filters, kernel * l.in.channels);
        return push(std::move(l));
    }
    int dense(int from, int units, Activation act, const std::string& name)
    {
        LayerSpec l = base(LayerKind::Dense, from, name);
        l.activation = act;
        l.out = {1, units};
        init(l, units, l.in.size());
        return push(std::move(l));
    }
    int maxPool(int from, int pool, const std::string& name)
    {
        LayerSpec l = base(LayerKind::MaxPool1D, from, name);
        l.pool = pool;
        l.out = {l.in.length / pool, l.in.channels};
        return push(std::move(l));
    }
    int globalAvgPool(int from, const std::string& name)
    {
        LayerSpec l = base(LayerKind::GlobalAvgPool, from, name);
        l.out = {1, l.in.channels};
        return push(std::move(l));
    }
    int add(std::vector<int> from, Activation act, const std::string& name)
    {
        LayerSpec l = base(LayerKind::Add, from.at(0), name);
        for (int f : from)
            if (!(shapeOf(f) == l.in))
                throw std::invalid_argument(name + ": inputs of an add differ in shape");
        l.inputs = std::move(from);
        l.activation = act;
        l.out = l.in;
        return push(std::move(l));
    }
    ModelSpec finish(int outputs)
    {
        model_.outputs = outputs;
        return std::move(model_);
    }

private:
    LayerSpec base(LayerKind kind, int from, const std::string& name) const
    {
        LayerSpec l;
        l.name = name;
        l.kind = kind;
        l.inputs = {from};
        l.in = shapeOf(from);
        return l;
    }
    void init(LayerSpec& l, int outputs, int fanIn)
    {
        const float limit = float(std::sqrt(6.0 / double(fanIn)));
        std::uniform_real_distribution<float> dist(-limit, limit);
        l.weights.resize(std::size_t(outputs) * fanIn);
        for (float& w : l.weights)
            w = dist(rng_);
        l.bias.assign(outputs, 0.0f);
    }
    int push(LayerSpec l)
    {
        model_.layers.push_back(std::move(l));
        return int(model_.layers.size()) - 1;
    }

    ModelSpec model_;
    std::mt19937_64 rng_;
};

void require(bool ok, const std::string& what)
{
    if (!ok)
        throw std::invalid_argument(what);
}

} // namespace

ModelSpec buildMlp(Shape input, int outputs, const MlpConfig& c, std::uint64_t seed)
{
    require(c.layers >= 0, "mlp: layers must be >= 0");
    require(c.units >= 1, "mlp: units must be >= 1");
    require(outputs >= 1, "mlp: needs at least one output");
    Builder b(input, seed);
    int x = -1;
    for (int i = 0; i < c.layers; ++i)
        x = b.dense(x, c.units, Activation::ReLU, "dense" + std::to_string(i + 1));
    b.dense(x, outputs, Activation::None, "output");
    return b.finish(outputs);
}

ModelSpec buildCnn1d(Shape input, int outputs, const Cnn1dConfig& c, std::uint64_t seed)
{
    require(c.layers >= 1 && c.filters >= 1 && c.kernel >= 1 && c.pool >= 1,
            "cnn1d: layers, filters, kernel and pool must be positive");
    Builder b(input, seed);
    int x = -1;
    for (int i = 0; i < c.layers; ++i) {
        x = b.conv(x, c.filters, c.kernel, 1, Padding::Same, Activation::ReLU, "conv" + std::to_string(i + 1));
        if (c.pool > 1) {
            require(b.shapeOf(x).length / c.pool >= 1, "cnn1d: window of " + std::to_string(input.length) +
                                                            " samples is too short for " + std::to_string(c.layers) +
                                                            " poolings by " + std::to_string(c.pool));
            x = b.maxPool(x, c.pool, "pool" + std::to_string(i + 1));
        }
    }
    x = b.globalAvgPool(x, "average");
    b.dense(x, outputs, Activation::None, "output");
    return b.finish(outputs);
}

int tcnReceptiveField(const TcnConfig& c)
{
    int sum = 0;
    for (int d : c.dilations)
        sum += d;
    return 1 + 2 * c.stacks * (c.kernel - 1) * sum;
}

ModelSpec buildTcn(Shape input, int outputs, const TcnConfig& c, std::uint64_t seed)
{
    require(c.filters >= 1 && c.kernel >= 1 && c.stacks >= 1, "tcn: filters, kernel and stacks must be positive");
    require(!c.dilations.empty(), "tcn: the dilation list is empty");
    for (std::size_t i = 0; i < c.dilations.size(); ++i) {
        require(c.dilations[i] >= 1, "tcn: dilations must be positive");
        require(i == 0 || c.dilations[i] > c.dilations[i - 1], "tcn: dilations must increase");
    }
    Builder b(input, seed);
    int x = -1;
    std::vector<int> skips;
    int block = 0;
    for (int s = 0; s < c.stacks; ++s)
        for (int d : c.dilations) {
            const std::string tag = "block" + std::to_string(++block);
            const int c1 = b.conv(x, c.filters, c.kernel, d, Padding::Causal, Activation::ReLU, tag + ".conv1");
            const int c2 = b.conv(c1, c.filters, c.kernel, d, Padding::Causal, Activation::ReLU, tag + ".conv2");
            int shortcut = x;
            if (b.shapeOf(x).channels != c.filters) // match channels with a 1x1 convolution
                shortcut = b.conv(x, c.filters, 1, 1, Padding::Causal, Activation::None, tag + ".shortcut");
            x = b.add({shortcut, c2}, Activation::ReLU, tag + ".residual");
            skips.push_back(c2);
        }
    if (c.skip && skips.size() > 1)
        x = b.add(skips, Activation::ReLU, "skip_sum");
    if (c.head == TcnHead::Average)
        x = b.globalAvgPool(x, "average");
    b.dense(x, outputs, Activation::None, "output"); // a dense layer reads any shape flattened
    return b.finish(outputs);
}

} // namespace nesy::learn
