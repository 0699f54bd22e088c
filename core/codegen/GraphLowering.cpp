#include "GraphLowering.h"
#include "learn/ProgramCompiler.h"
#include "symbolic/BlockSettings.h"

namespace nesy::codegen {

namespace {

int paramInt(const Json& params, const char* name, int fallback)
{
    return params.contains(name) && params[name].is_number_integer() ? params[name].get<int>() : fallback;
}

} // namespace

learn::CandidateModel candidateModelForGraph(const ProgramGraph& graph, const Project& project,
                                             const BlockRegistry& registry, const GraphLoweringOptions& options)
{
    learn::PipelineSpec p = learn::compileProgram(graph, project, registry);
    const Json& sp = p.source.params;
    int channels = 6, classes = 9; // the earable data: 6 IMU axes, 9 activities
    if (p.source.type == "source.synthetic_imu")
        classes = 7; // learn's simulator: standing .. falling
    else if (p.source.type == "source.earable")
        channels = sp.value("channels", std::string("imu6")) == "magnitudes" ? 2 : 6;
    else if (p.source.type == "source.csv")
        channels = options.csvChannels;

    learn::CandidateModel m;
    m.backboneBlock = p.backboneBlock;
    m.backboneType = p.backboneType;
    m.int8 = p.int8;
    m.window = {paramInt(sp, "window", 100), channels};
    if (p.movementChannel) {
        m.movementChannel = symbolic::movementChannelFromParams(p.movementChannel->params, p.movementChannel->block);
        m.window.channels += 1; // the model reads the appended channel too
    }
    m.sampleRateHz = paramInt(sp, "rate_hz", 50);
    m.magnitudes = p.magnitudes;
    m.magnitudesKeepAxes = p.magnitudesKeepAxes;
    m.features = p.features;
    learn::Shape in = m.window;
    if (m.magnitudes)
        in.channels = m.magnitudesKeepAxes ? 8 : 2;
    if (m.features)
        in = {1, m.features->outputSize(in.channels)};
    // Identity normalisation: the trained program carries the training data's mean and stddev.
    m.normMean.assign(in.channels, 0.0f);
    m.normStddev.assign(in.channels, 1.0f);
    m.model = learn::buildBackbone(p, in, classes);
    m.computeSizes();
    return m;
}

} // namespace nesy::codegen
