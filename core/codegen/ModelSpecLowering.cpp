#include "ModelSpecLowering.h"
#include "codegen/CandidateBuilder.h"
#include "codegen/Reference.h"
#include "learn/Quantizer.h"
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

ProgramIR lowerModelSpec(const learn::ModelSpec& m, const std::string& name, const Preprocessing& pre)
{
    ProgramIR p;
    p.name = name;
    p.input = pre.window.size() > 0 ? pre.window : shapeOf(m.input);
    p.movement = pre.movement;
    p.magnitudes = pre.magnitudes;
    p.magnitudesKeepAxes = pre.magnitudesKeepAxes;
    if (pre.features) {
        p.hasFeatures = true;
        p.features = *pre.features;
    }
    p.normMean = pre.normMean;
    p.normStddev = pre.normStddev;
    const Shape produced = p.networkInput();
    if (!p.networkInputReadableAs(shapeOf(m.input)))
        throw std::invalid_argument("model " + name + ": its input [" + std::to_string(m.input.length) + " x " +
                                    std::to_string(m.input.channels) + "] is not what the preprocessing produces [" +
                                    std::to_string(produced.length) + " x " +
                                    std::to_string(produced.channels) + "]");
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

ProgramIR lowerCandidateModel(const learn::CandidateModel& c)
{
    Preprocessing pre;
    // The generated program reads the raw window and appends the movement channel itself.
    pre.window = Shape{c.window.length, c.window.channels - (c.movementChannel ? 1 : 0)};
    pre.movement = c.movementChannel;
    pre.magnitudes = c.magnitudes;
    pre.magnitudesKeepAxes = c.magnitudesKeepAxes;
    if (c.features) {
        FeatureSpec f;
        for (int i = 0; i < kFeatureCount; ++i)
            if (c.features->enabled[i])
                f.enabled.push_back(static_cast<Feature>(i));
        f.fftBins = c.features->fftBins;
        f.tailRows = c.features->tailRows;
        f.sampleRateHz = c.sampleRateHz > 0 ? c.sampleRateHz : 1.0;
        pre.features = f;
    }
    pre.normMean = c.normMean;
    pre.normStddev = c.normStddev;
    const std::string name = c.backboneBlock.empty() ? "program" : c.backboneBlock;
    if (!c.int8 || c.model.quantized)
        return lowerModelSpec(c.model, name, pre);

    // Untrained int8 candidate: calibrate the quantization on the model inputs of synthetic windows.
    ProgramIR floatProgram = lowerModelSpec(c.model, name, pre);
    learn::Dataset calibration;
    calibration.length = c.model.input.length;
    calibration.channels = c.model.input.channels;
    for (std::uint64_t i = 0; i < 4; ++i) {
        std::vector<float> x = preprocess(floatProgram, syntheticInput(floatProgram.input, 1000 + i).data());
        calibration.values.insert(calibration.values.end(), x.begin(), x.end());
        calibration.labels.push_back(0);
        calibration.subjects.push_back(0);
    }
    learn::ModelSpec quantized = c.model;
    learn::quantize(quantized, calibration);
    return lowerModelSpec(quantized, name + "_int8", pre);
}

} // namespace nesy::codegen
