#include "CliArgs.h"
#include "Commands.h"
#include "codegen/TrialEvaluation.h"
#include "codegen/TrialSelection.h"
#include "graph/Project.h"
#include "learn/TrainedProgram.h"
#include <iomanip>
#include <ostream>

namespace nesy::cli {

namespace {

void printReport(const Json& r, const std::string& trial, std::ostream& out)
{
    out << std::fixed << std::setprecision(4);
    const std::string metric = r["trained"]["metric"].get<std::string>();
    out << "trial " << trial << " retrained (validation " << metric
        << (learn::metricIsError(metric) ? " " : " error ") << r["trained"]["validation_error"].get<double>()
        << "), scored on " << r["data"].get<std::string>() << "\n";
    if (r["kind"] == "orientation") {
        out << "  samples            " << r["samples"].get<std::int64_t>() << "\n"
            << "  azimuth error      " << r["azimuth_deg"].get<double>() << " deg\n"
            << "  elevation error    " << r["elevation_deg"].get<double>() << " deg\n";
        return;
    }
    out << "  subjects           ";
    for (std::size_t i = 0; i < r["subjects"].size(); ++i)
        out << (i ? "," : "") << r["subjects"][i].get<int>();
    out << "\n  windows            " << r["windows"].get<std::int64_t>() << " (" << r["precision"].get<std::string>()
        << ")\n"
        << "  accuracy           " << r["accuracy"].get<double>() << "\n"
        << "  balanced accuracy  " << r["balanced_accuracy"].get<double>() << "\n"
        << "  macro F1           " << r["macro_f1"].get<double>() << "\n"
        << "  confusion (rows: truth, columns: predicted)\n";
    const Json& classes = r["classes"];
    for (std::size_t i = 0; i < classes.size(); ++i) {
        out << "    " << std::setw(14) << std::left << classes[i].get<std::string>() << std::right;
        for (const auto& v : r["confusion"][i])
            out << std::setw(6) << v.get<long>();
        out << "\n";
    }
}

} // namespace

int runEval(const Args& args, std::ostream& out, std::ostream&)
{
    CliArgs a(args, {"json"}, {"trial", "data", "subjects", "journal", "threads"});
    const std::string file = a.requirePositional(0, "project FILE");
    const auto trial = a.option("trial");
    const auto data = a.option("data");
    if (!trial || !data)
        throw UsageError("--trial and --data are required");
    const Project project = loadProject(file);
    const std::filesystem::path journal =
        a.option("journal") ? std::filesystem::path(*a.option("journal")) : journalPathFor(file);
    const ProgramGraph graph = codegen::trialGraph(project, *trial, journal);

    codegen::TrialEvaluationOptions options;
    options.data = *data;
    options.subjects = a.option("subjects").value_or("");
    options.threads = static_cast<int>(a.integerOption("threads", 0));
    Json report = codegen::evaluateTrialOnData(project, graph, options);
    report["trial"] = *trial;
    if (a.flag("json"))
        out << report.dump() << "\n";
    else
        printReport(report, *trial, out);
    return kExitOk;
}

} // namespace nesy::cli
