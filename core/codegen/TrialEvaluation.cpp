#include "TrialEvaluation.h"
#include "codegen/TrialPrograms.h"
#include "kalman/ImuDataset.h"
#include "learn/Loaders.h"
#include "learn/Metrics.h"
#include "learn/ProgramCompiler.h"
#include "learn/RuleChecks.h"
#include "learn/ThreadPool.h"
#include "learn/Trainer.h"
#include <algorithm>
#include <set>
#include <stdexcept>

namespace nesy::codegen {

namespace {

using namespace nesy::learn;

std::string listText(const std::set<int>& values)
{
    std::string s;
    for (int v : values)
        s += (s.empty() ? "" : ",") + std::to_string(v);
    return s;
}

Timing timingOf(const Json& params, Timing fallback)
{
    if (!params.contains("timing"))
        return fallback;
    return params["timing"] == "timestamps" ? Timing::Timestamps : Timing::Rows;
}

// The recordings of the trial's source format at `data`, restricted to the requested subjects.
RecordingSet loadRecordings(const DataSourceSpec& source, const std::filesystem::path& data, const std::set<int>& wanted)
{
    const Json& p = source.params;
    RecordingSet set;
    if (source.type == "source.earable") {
        // The folder's subjects from the file names (<subject>_<class>.csv), so that a subject that
        // is not there is named rather than reported as an empty folder.
        std::set<int> inFolder;
        for (const auto& entry : std::filesystem::directory_iterator(data)) {
            const std::string name = entry.path().filename().string();
            if (const auto underscore = name.find('_'); underscore != std::string::npos && underscore > 0 &&
                                                        name.find_first_not_of("0123456789") == underscore)
                inFolder.insert(std::stoi(name.substr(0, underscore)));
        }
        std::set<int> absent;
        std::set_difference(wanted.begin(), wanted.end(), inFolder.begin(), inFolder.end(),
                            std::inserter(absent, absent.begin()));
        if (!absent.empty())
            throw std::runtime_error("subjects " + listText(absent) + " are not in " + data.string());
        EarableOptions o;
        o.rateHz = p.at("rate_hz").get<double>();
        o.timing = timingOf(p, Timing::Rows);
        o.magnitudes = p.value("channels", std::string("imu6")) == "magnitudes";
        o.subjects.assign(wanted.begin(), wanted.end()); // read only the files of the chosen subjects
        set = loadEarableFolder(data, o);
    } else if (source.type == "source.csv") {
        CsvOptions o;
        o.labelColumn = p.at("label_column").get<std::string>();
        o.subjectColumn = p.at("subject_column").get<std::string>();
        o.timeColumn = p.at("time_column").get<std::string>();
        o.rateHz = p.at("rate_hz").get<double>();
        o.timing = timingOf(p, Timing::Timestamps);
        set = loadCsv(data, o);
    } else {
        throw std::runtime_error("block \"" + source.block + "\": " + source.type +
                                 " generates its data; nesy eval scores a trial on recorded data (source.earable or "
                                 "source.csv)");
    }
    std::set<int> present;
    for (const Recording& r : set.recordings)
        present.insert(r.subject);
    if (wanted.empty())
        return set;
    std::set<int> missing;
    std::set_difference(wanted.begin(), wanted.end(), present.begin(), present.end(),
                        std::inserter(missing, missing.begin()));
    if (!missing.empty())
        throw std::runtime_error("subjects " + listText(missing) + " are not in " + data.string());
    std::erase_if(set.recordings, [&](const Recording& r) { return !wanted.count(r.subject); });
    return set;
}

Json confusionJson(const ConfusionMatrix& c)
{
    Json j = Json::array();
    for (const auto& row : c)
        j.push_back(row);
    return j;
}

std::set<int> subjectsOf(const std::string& list)
{
    std::set<int> wanted;
    try {
        if (!list.empty())
            for (int s : parseSubjectList(list))
                wanted.insert(s);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("--subjects: ") + e.what());
    }
    return wanted;
}

Json evaluateClassifier(const TrainedProgram& t, const PipelineSpec& p, const RecordingSet& set,
                        const TrialEvaluationOptions& options)
{
    const CandidateModel& m = *t.classifier;
    if (set.classNames != m.classNames)
        throw std::runtime_error(options.data.string() + ": its classes are not the trained program's classes");
    Dataset d = makeWindows(set, p.source.params.at("window").get<int>(), p.source.params.at("stride").get<int>());
    if (d.size() == 0)
        throw std::runtime_error(options.data.string() + ": no window fits in the recordings of the chosen subjects");

    // The trained program's preprocessing, with the normalisation fitted on the training subjects.
    const int threads = resolveThreads(options.threads);
    if (m.movementChannel)
        d = withMovementChannel(d, *m.movementChannel);
    if (m.magnitudes)
        d = magnitudes(d, m.magnitudesKeepAxes);
    if (m.features)
        d = FeatureExtractor(*m.features, d.length, d.channels, d.sampleRateHz).extract(d, threads);
    Normalizer{m.normMean, m.normStddev}.apply(d);

    ThreadPool pool(threads);
    std::vector<int> predicted;
    if (t.decision) {
        const Matrix scores = predictScores(m.model, d, &pool);
        symbolic::NamedColumns columns;
        for (std::size_t c = 0; c < t.decisionInputs.size(); ++c)
            columns[t.decisionInputs[c]] = scores.col(Eigen::Index(c)).cast<double>();
        predicted = t.decision->decide(columns);
    } else if (m.model.quantized) {
        predicted = predictInt8(m.model, d, &pool);
    } else {
        predicted = argmaxRows(predictScores(m.model, d, &pool));
    }
    const ConfusionMatrix c = confusionMatrix(d.labels, predicted, int(m.classNames.size()));
    std::set<int> subjects(d.subjects.begin(), d.subjects.end());
    return Json{{"kind", "classification"},
                {"windows", d.size()},
                {"subjects", std::vector<int>(subjects.begin(), subjects.end())},
                {"accuracy", accuracy(c)},
                {"balanced_accuracy", balancedAccuracy(c)},
                {"macro_f1", macroF1(c)},
                {"classes", m.classNames},
                {"confusion", confusionJson(c)},
                {"precision", m.model.quantized ? "int8" : "float32"}};
}

Json evaluateOrientation(const TrainedProgram& t, const TrialEvaluationOptions& options)
{
    kalman::OrientationDataset data = kalman::loadAhrsEkfDataset(options.data);
    data.sampleRateHz = t.sampleRateHz;
    const kalman::OrientationErrors e = kalman::evaluateOrientationEkf(*t.orientationEkf, data);
    return Json{{"kind", "orientation"},
                {"samples", data.size()},
                {"azimuth_deg", e.azimuthDeg},
                {"elevation_deg", e.elevationDeg},
                {"error", e.objective()}};
}

} // namespace

Json evaluateTrialOnData(const Project& project, const ProgramGraph& graph, const TrialEvaluationOptions& options)
{
    if (options.data.empty() || !std::filesystem::exists(options.data))
        throw std::runtime_error("no data at \"" + options.data.string() + "\" (give --data PATH to a recording folder)");
    // Refuse shapes the evaluator cannot run, and data that is not there, before training.
    const learn::CompiledProgram compiled = learn::compile(graph, project, BlockRegistry::builtin());
    const auto* pipeline = std::get_if<PipelineSpec>(&compiled);
    if (const auto* trajectory = std::get_if<learn::TrajectorySpec>(&compiled))
        throw std::runtime_error("block \"" + trajectory->filterBlock + "\" (" + trajectory->filterType +
                                 "): the trajectory filters are scored on the simulator's runs; there is no "
                                 "recording format to evaluate them on (see `nesy trials` for their test error)");
    RecordingSet recordings;
    if (pipeline)
        recordings = loadRecordings(pipeline->source, options.data, subjectsOf(options.subjects));
    else if (!options.subjects.empty())
        throw std::runtime_error("--subjects: the orientation filter's data (an AHRS recording) has no subjects");
    const TrainedTrial trained = retrainTrial(project, graph, options.threads);
    Json metrics = pipeline ? evaluateClassifier(trained.program, *pipeline, recordings, options)
                            : evaluateOrientation(trained.program, options);
    Json out{{"data", options.data.string()},
             {"trained", {{"metric", trained.program.metric}, {"validation_error", trained.program.validationError}}}};
    for (const auto& [key, value] : metrics.items())
        out[key] = value;
    return out;
}

} // namespace nesy::codegen
