#include "CandidateModel.h"

namespace nesy::learn {

namespace {
// Rough code sizes of the generated C (bytes of Thumb-2 code), until boards measure real builds.
constexpr std::size_t kRuntimeCode = 2048;    // entry point, quantize/dequantize, argmax
constexpr std::size_t kLayerKernelCode = 400; // one kernel per layer kind used
constexpr std::size_t kFeatureCode = 300;     // per enabled feature
constexpr std::size_t kSpectrumCode = 600;    // the DFT shared by the spectral features
} // namespace

void CandidateModel::computeSizes()
{
    weightBytes = model.weightBytes(int8);
    activationBytes = model.arenaBytes(int8);
    layers.clear();
    bool kindUsed[5] = {};
    std::size_t code = kRuntimeCode;
    for (int i = 0; i < int(model.layers.size()); ++i) {
        const LayerSpec& l = model.layers[i];
        layers.push_back({l.name, layerKindName(l.kind), model.layerWeightBytes(i, int8),
                          model.layerActivationBytes(i, int8)});
        if (!kindUsed[int(l.kind)]) {
            kindUsed[int(l.kind)] = true;
            code += kLayerKernelCode;
        }
    }
    // Normalisation constants live in flash beside the weights.
    const std::size_t constants = 4 * (normMean.size() + normStddev.size());
    std::size_t scratch = 0;
    if (features) {
        bool spectral = false;
        for (int f = 0; f < kFeatureCount; ++f)
            if (features->enabled[f]) {
                code += kFeatureCode;
                spectral |= f >= int(Feature::FftMean);
            }
        if (spectral)
            code += kSpectrumCode + 8 * std::size_t(window.length); // plus the cos/sin tables
        // A sorted copy of one channel, the spectrum, and the float feature vector.
        scratch = 4 * std::size_t(window.length) + 4 * std::size_t(window.length / 2 + 1) + 4 * std::size_t(model.input.size());
    }
    flashBytes = weightBytes + constants + code;
    // The raw window (float samples) is held while the model runs; the model input is in the arena.
    sramBytes = activationBytes + 4 * std::size_t(window.size()) + scratch;
}

Json CandidateModel::sizesToJson() const
{
    Json j;
    j["precision"] = int8 ? "int8" : "float32";
    j["weights_bytes"] = weightBytes;
    j["activation_bytes"] = activationBytes;
    j["flash_bytes_estimate"] = flashBytes;
    j["sram_bytes_estimate"] = sramBytes;
    j["multiply_accumulates"] = model.multiplyAccumulates();
    j["feature_count"] = featureCount();
    Json layerList = Json::array();
    for (const LayerBytes& l : layers)
        layerList.push_back({{"name", l.name}, {"kind", l.kind}, {"weight_bytes", l.weightBytes},
                             {"activation_bytes", l.activationBytes}});
    j["layers"] = layerList;
    return j;
}

} // namespace nesy::learn
