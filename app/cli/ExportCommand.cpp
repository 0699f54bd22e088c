#include "CliArgs.h"
#include "Commands.h"
#include "codegen/TrialExport.h"
#include "learn/TrainedProgram.h"
#include "graph/Project.h"
#include <ostream>

namespace nesy::cli {

int runExport(const Args& args, std::ostream& out, std::ostream&)
{
    CliArgs a(args, {"untrained"}, {"trial", "out", "journal", "threads"});
    const std::string file = a.requirePositional(0, "project FILE");
    const auto trial = a.option("trial");
    const auto dir = a.option("out");
    if (!trial || !dir)
        throw UsageError("--trial and --out are required");
    codegen::TrialExportOptions options;
    options.trialId = *trial;
    options.projectFile = file;
    options.outDir = *dir;
    if (const auto journal = a.option("journal"))
        options.journal = *journal;
    options.retrain = !a.flag("untrained");
    options.threads = static_cast<int>(a.integerOption("threads", 0));
    const codegen::TrialExportResult r = codegen::exportTrial(loadProject(file), options);
    out << "wrote " << r.programName << " (" << r.weightBytes << " bytes of parameters, " << r.arenaBytes
        << " bytes of arena) to " << options.outDir.string() << "\n";
    if (r.trainedWeights) {
        out << "weights: trained with the trial's seed; validation " << r.metric
            << (learn::metricIsError(r.metric) ? " " : " error ") << r.validationError << "\n";
        if (!r.retrainedAsSearched())
            out << "warning: " << codegen::retrainedDifferentlyText(r) << "\n";
    } else {
        out << "weights: placeholders (--untrained)\n";
    }
    return kExitOk;
}

} // namespace nesy::cli
