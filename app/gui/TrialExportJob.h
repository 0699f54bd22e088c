#pragma once
// Exports one trial's C code (codegen::exportTrial) off the GUI thread: the export retrains the
// trial's program, which takes seconds. The outcome comes back as a signal on the GUI thread.
#include "codegen/TrialExport.h"
#include <QObject>
#include <QString>
#include <memory>

class QThread;

namespace nesy::gui {

class TrialExportJob : public QObject {
    Q_OBJECT
public:
    explicit TrialExportJob(QObject* parent = nullptr);
    ~TrialExportJob() override; // waits for a running export (it cannot be interrupted)

    bool running() const { return thread_ != nullptr; }
    // Starts exporting trial `trialId` (the id the user sees, whatever options.trialId says);
    // throws std::logic_error while another export runs.
    void start(int trialId, Project project, codegen::TrialExportOptions options);

signals:
    void started(int trialId);
    // `warning` is empty unless the retrained program is not the one the search scored
    // (codegen::retrainedDifferentlyText).
    void succeeded(int trialId, const QString& folder, int files, bool trainedWeights, const QString& warning);
    void failed(int trialId, const QString& message);

private:
    struct Outcome {
        std::optional<codegen::TrialExportResult> result;
        std::string error;
    };
    void finish();

    std::unique_ptr<QThread> thread_;
    std::shared_ptr<Outcome> outcome_; // written by the worker, read after it finished
    int trialId_ = 0;
    std::filesystem::path outDir_;
};

} // namespace nesy::gui
