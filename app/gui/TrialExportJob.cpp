#include "TrialExportJob.h"
#include <QThread>
#include <stdexcept>

namespace nesy::gui {

TrialExportJob::TrialExportJob(QObject* parent) : QObject(parent) {}

TrialExportJob::~TrialExportJob()
{
    if (thread_)
        thread_->wait();
}

void TrialExportJob::start(int trialId, Project project, codegen::TrialExportOptions options)
{
    if (thread_)
        throw std::logic_error("a trial export is already running");
    trialId_ = trialId;
    outDir_ = options.outDir;
    outcome_ = std::make_shared<Outcome>();
    thread_.reset(QThread::create([outcome = outcome_, project = std::move(project), options = std::move(options)] {
        try {
            outcome->result = codegen::exportTrial(project, options);
        } catch (const std::exception& e) {
            outcome->error = e.what();
        }
    }));
    connect(thread_.get(), &QThread::finished, this, &TrialExportJob::finish); // queued: back on our thread
    thread_->start();
    emit started(trialId_);
}

void TrialExportJob::finish()
{
    thread_->wait();
    thread_.reset();
    if (const auto& r = outcome_->result)
        emit succeeded(trialId_, QString::fromStdString(outDir_.string()), int(r->files.size()), r->trainedWeights,
                       r->retrainedAsSearched() ? QString()
                                                : QString::fromStdString(codegen::retrainedDifferentlyText(*r)));
    else
        emit failed(trialId_, QString::fromStdString(outcome_->error));
}

} // namespace nesy::gui
