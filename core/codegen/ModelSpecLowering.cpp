#include "ModelSpecLowering.h"
#include <stdexcept>

namespace nesy::codegen {

namespace {

Shape shapeOf(const learn::Shape& s)
{
    return Shape{s.length, s.channels};
}

LayerKind kindOf(learn::LayerKind k)
{
    switch (k) {
    case learn::LayerKind::Conv1D: return LayerKind::Conv1D;
    case learn::LayerKind::Dense: return LayerKind::Dense;
    case learn::LayerKind::MaxPool1D: return LayerKind::MaxPool1D;
    case learn::LayerKind::GlobalAvgPool: return LayerKind::GlobalAvgPool;
    case learn::LayerKind::Add: return LayerKind::Add;
    }
    throw std::invalid_argument("unknown layer kind");
}


} // namespace

ProgramIR lowerModelSpec(const learn::ModelSpec& m, const std::string& name, const std::optional<FeatureSpec>& features,
                         Shape window)
{
    ProgramIR p;
    p.name = name;
    if (features) {
        p.hasFeatures = true;
        p.features = *features;
        p.input = window;
        if (!(p.networkInput() == shapeOf(m.input)))
            throw std::invalid_argument("model " + name + ": its input [" + std::to_string(m.input.length) + " x " +
                                        std::to_string(m.input.channels) + "] is not the " +
                                        std::to_string(p.networkInput().size()) + " feature values");
    } else {
        p.input = shapeOf(m.input);
    }
    p.quantized = m.quantized;
    p.inputQuant = m.inputQuant;
    for (const learn::LayerSpec& s : m.layers) {
        Layer l;
        l.name = s.name;
        l.kind = kindOf(s.kind);
        l.inputs = s.inputs;
        l.in = shapeOf(s.in);
        l.out = shapeOf(s.out);
        l.kernel = s.kernel;
        l.dilation = s.dilation;
        l.pool = s.pool;
        l.padding = s.padding == learn::Padding::Same ? Padding::Same : Padding::Causal;
        l.relu = s.activation == learn::Activation::ReLU;
        l.weights = s.weights;
        l.bias = s.bias;
        l.qWeights = s.qWeights;
        l.qBias = s.qBias;
        l.multipliers = s.outMultipliers;
        l.outQuant = s.outQuant;
        p.layers.push_back(std::move(l));
    }
    p.validate();
    return p;
}

} // namespace nesy::codegen
