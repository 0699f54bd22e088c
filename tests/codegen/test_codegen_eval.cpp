// `nesy eval`: a trial retrained with its seed and scored on other subjects of the real earable
// recordings (read in place from NESY_SHARED_DATA), the orientation EKF on the AHRS recording, and
// clear errors for a missing data path, unknown subjects and an unknown trial.
#include "CliArgs.h"
#include "Commands.h"
#include "graph/Project.h"
#include "search/Journal.h"
#include "../support/ProjectFixtures.h"
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>
#include <sstream>

using namespace nesy;

namespace {

using nesy::testing::sharedData;
using nesy::testing::block;

Json projectJson(const Json& blocks, const Json& connections, const Json& datasets)
{
    return {{"schemaVersion", 1},
            {"name", "eval test"},
            {"graph", {{"blocks", blocks}, {"connections", connections}}},
            {"datasets", datasets},
            {"boards", Json::array()},
            {"constraints", Json::array()}};
}

// Earable |acc|, |gyro| in 1 s windows, trained on subjects 1-3, a few features and a small MLP.
std::filesystem::path earableProject(const QTemporaryDir& dir)
{
    const Json p = projectJson(
        Json::array({block("ear", "source.earable",
                           {{"dataset", "earable"}, {"rate_hz", 100}, {"window", 100}, {"stride", 100},
                            {"channels", "magnitudes"}, {"train_subjects", "1-3"}, {"validation_subjects", "4"},
                            {"test_subjects", "5"}}),
                     block("features", "features.statistics",
                           {{"mean", true}, {"iqr", false}, {"max", true}, {"variance", true}, {"abs_energy", false},
                            {"peak_to_peak", true}, {"fft_mean", false}, {"fundamental_frequency", false}}),
                     block("mlp", "backbone.mlp", {{"layers", 1}, {"units", 16}, {"epochs", 10}, {"precision", "int8"}}),
                     block("objective", "sink.classification", {{"metric", "accuracy"}})}),
        Json::array({{{"from", "ear.windows"}, {"to", "features.window"}},
                     {{"from", "features.features"}, {"to", "mlp.input"}},
                     {{"from", "mlp.scores"}, {"to", "objective.decision"}}}),
        Json::array({{{"id", "earable"}, {"kind", "earable"}, {"path", sharedData("earable-activity").string()}}}));
    const std::filesystem::path file = std::filesystem::path(dir.path().toStdString()) / "ear.nesy.json";
    writeTextFileAtomically(file, p.dump(2));
    return file;
}

int eval(const std::vector<std::string>& args, std::string& out)
{
    std::ostringstream o, e;
    const int rc = cli::runEval(args, o, e);
    out = o.str() + e.str();
    return rc;
}

void expectError(const std::vector<std::string>& args, const std::string& needle)
{
    std::string out;
    try {
        eval(args, out);
    } catch (const std::exception& e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        return;
    }
    QFAIL(("expected an error naming \"" + needle + "\", got: " + out).c_str());
}

} // namespace

class TestCodegenEval : public QObject {
    Q_OBJECT
private slots:
    void scoresATrialOnOtherSubjects()
    {
        QTemporaryDir dir;
        const std::string file = earableProject(dir).string();
        const std::string data = sharedData("earable-activity").string();
        std::string out;
        QCOMPARE(eval({file, "--trial", "default", "--data", data, "--subjects", "6-7", "--json", "--threads", "2"}, out),
                 int(cli::kExitOk));
        const Json r = Json::parse(out);
        qInfo() << "subjects 6-7:" << out.c_str();
        QCOMPARE(r["subjects"], Json::array({6, 7}));
        QCOMPARE(r["precision"].get<std::string>(), std::string("int8"));
        const std::int64_t windows = r["windows"].get<std::int64_t>();
        QVERIFY(windows > 50);
        QCOMPARE(r["confusion"].size(), std::size_t(9));
        long total = 0, correct = 0;
        for (std::size_t i = 0; i < 9; ++i)
            for (std::size_t j = 0; j < 9; ++j) {
                total += r["confusion"][i][j].get<long>();
                correct += i == j ? r["confusion"][i][j].get<long>() : 0;
            }
        QCOMPARE(total, long(windows));
        QCOMPARE(r["accuracy"].get<double>(), double(correct) / double(total));
        QVERIFY2(r["accuracy"].get<double>() > 1.0 / 9.0, "better than chance on other people");
        for (const char* key : {"balanced_accuracy", "macro_f1"})
            QVERIFY(r[key].get<double>() > 0.0 && r[key].get<double>() <= 1.0);
        QVERIFY(r["trained"]["validation_error"].get<double>() < 1.0);
    }

    void scoresTheOrientationFilter()
    {
        QTemporaryDir dir;
        const std::string ahrs = sharedData("ahrs-ekf").string();
        const Json p = projectJson(
            Json::array({block("imu", "source.ahrs", {{"dataset", "ahrs"}, {"rate_hz", 100}}),
                         block("ekf", "kalman.orientation_ekf", {{"acc_noise", 0.3}, {"gyro_noise", 0.05}}),
                         block("objective", "sink.tracking", {{"metric", "azimuth_elevation_error"}})}),
            Json::array({{{"from", "imu.imu"}, {"to", "ekf.imu"}}, {{"from", "ekf.state"}, {"to", "objective.state"}}}),
            Json::array({{{"id", "ahrs"}, {"kind", "ahrs"}, {"path", ahrs}}}));
        const std::filesystem::path file = std::filesystem::path(dir.path().toStdString()) / "ekf.nesy.json";
        writeTextFileAtomically(file, p.dump());
        std::string out;
        QCOMPARE(eval({file.string(), "--trial", "default", "--data", ahrs, "--json"}, out), int(cli::kExitOk));
        const Json r = Json::parse(out);
        QCOMPARE(r["kind"].get<std::string>(), std::string("orientation"));
        QVERIFY(r["azimuth_deg"].get<double>() > 0);
        QCOMPARE(r["error"].get<double>(), r["azimuth_deg"].get<double>() + r["elevation_deg"].get<double>());
        // Scored on the recording it was tuned on: the search's own error.
        QCOMPARE(r["error"].get<double>(), r["trained"]["validation_error"].get<double>());
        // In words.
        QCOMPARE(eval({file.string(), "--trial", "default", "--data", ahrs}, out), int(cli::kExitOk));
        QVERIFY2(out.find("azimuth error") != std::string::npos && out.find("retrained (validation") != std::string::npos,
                 out.c_str());
        expectError({file.string(), "--trial", "default", "--data", ahrs, "--subjects", "1"}, "has no subjects");
    }

    void clearErrors()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = earableProject(dir);
        const std::string data = sharedData("earable-activity").string();
        expectError({file.string(), "--trial", "default", "--data", (file.parent_path() / "nowhere").string()},
                    "no data at");
        expectError({file.string(), "--trial", "default", "--data", data, "--subjects", "7,99"},
                    "subjects 99 are not in");
        expectError({file.string(), "--trial", "default", "--data", data, "--subjects", "7-x"}, "--subjects");
        expectError({file.string(), "--trial", "3", "--data", data}, "no search journal");
        {
            auto w = JournalWriter::create(journalPathFor(file),
                                           Json{{"journal", "nesy-search"}, {"version", kJournalVersion}});
            TrialRecord t;
            t.id = 1;
            t.assignment = {{"mlp.units", 8}};
            w.append(t);
        }
        expectError({file.string(), "--trial", "3", "--data", data}, "trial 3 is not in the search journal");
        std::string out;
        QVERIFY_THROWS_EXCEPTION(cli::UsageError, eval({file.string(), "--trial", "1"}, out));
    }
};

QTEST_APPLESS_MAIN(TestCodegenEval)
#include "test_codegen_eval.moc"
