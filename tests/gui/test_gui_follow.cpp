// Following a journal as another process writes it: appended lines reach the store and the trial
// table (through the file watcher or the poll timer), a line still being written is not read
// until its newline arrives, and a truncated or replaced journal is reloaded with a clear status.
#include "JournalFollower.h"
#include "MainWindow.h"
#include "TrialFixtures.h"
#include "TrialTableModel.h"
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace nesy;
using namespace nesy::gui;

namespace {

const char* const kHeader = R"({"journal":"nesy-search","version":1,"seed":1,"space":{"parameters":[]}})";

std::string line(const TrialRow& t) { return t.toJson().dump() + "\n"; }

void append(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << text;
    out.flush();
}

void rewrite(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

} // namespace

class GuiFollowTest : public QObject {
    Q_OBJECT
private slots:
    void appendedTrialsReachTheStoreAndTable()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("run.journal.jsonl").toStdString();
        TrialStore store;
        TrialTableModel table(store);
        JournalFollower follower(store);
        follower.setPollInterval(50);
        follower.follow(file);
        QVERIFY(follower.status().contains("Waiting")); // not there yet

        const auto rows = fixtures::trials(6);
        append(file, std::string(kHeader) + "\n" + line(rows[0]) + line(rows[1]));
        // Noticed without calling poll(): by the watcher, or at worst the 50 ms timer.
        QTRY_COMPARE_WITH_TIMEOUT(int(store.trials().size()), 2, 5000);
        QCOMPARE(table.rowCount(), 2);
        for (int i = 2; i < 6; ++i)
            append(file, line(rows[std::size_t(i)]));
        QTRY_COMPARE_WITH_TIMEOUT(table.rowCount(), 6, 5000);
        QCOMPARE(store.trials().back().id, 5);
        QVERIFY(store.bestTrial().has_value());
        QVERIFY(follower.status().contains("6 trial"));
    }

    void partialLineWaitsForItsNewline()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("run.journal.jsonl").toStdString();
        const auto rows = fixtures::trials(3);
        rewrite(file, std::string(kHeader) + "\n" + line(rows[0]));
        TrialStore store;
        JournalFollower follower(store);
        follower.setPollInterval(60000); // only explicit polls: the test decides when reads happen
        follower.follow(file);
        QCOMPARE(int(store.trials().size()), 1);

        const std::string second = line(rows[1]);
        const std::size_t cut = second.size() / 2;
        append(file, second.substr(0, cut)); // the writer is in the middle of a line
        follower.poll();
        QCOMPARE(int(store.trials().size()), 1);
        QCOMPARE(follower.linesSkipped(), 0); // not mistaken for a malformed line
        append(file, second.substr(cut));
        follower.poll();
        QCOMPARE(int(store.trials().size()), 2);
        QCOMPARE(store.trials().back().id, 1);
        follower.poll(); // nothing new: nothing read twice
        QCOMPARE(int(store.trials().size()), 2);
    }

    void truncatedOrReplacedJournalIsReloaded()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("run.journal.jsonl").toStdString();
        const auto rows = fixtures::trials(5);
        std::string text = std::string(kHeader) + "\n";
        for (const auto& r : rows)
            text += line(r);
        rewrite(file, text);
        TrialStore store;
        JournalFollower follower(store);
        follower.setPollInterval(60000);
        follower.follow(file);
        QCOMPARE(int(store.trials().size()), 5);

        QSignalSpy statuses(&follower, &JournalFollower::statusChanged);
        rewrite(file, std::string(kHeader) + "\n" + line(rows[0])); // shorter: truncated
        follower.poll();
        QCOMPARE(int(store.trials().size()), 1);
        QVERIFY(follower.status().contains("truncated or rewritten"));

        // Same length or longer but a different search (new header): also a reload.
        const std::string otherHeader = R"({"journal":"nesy-search","version":1,"seed":2,"space":{"parameters":[]}})";
        std::string replaced = otherHeader + "\n";
        for (const auto& r : fixtures::trials(4, 100))
            replaced += line(r);
        rewrite(file, replaced);
        follower.poll();
        QCOMPARE(int(store.trials().size()), 4);
        QCOMPARE(store.trials().front().id, 100);
        QVERIFY(follower.status().contains("replaced by a new search"));
        QVERIFY(statuses.count() >= 2);

        // A rerun of the same search (same header) that has already written more than was read.
        std::string rerun = otherHeader + "\n";
        for (const auto& r : fixtures::trials(6, 200))
            rerun += line(r);
        rewrite(file, rerun);
        follower.poll();
        QCOMPARE(int(store.trials().size()), 6);
        QCOMPARE(store.trials().front().id, 200);
    }

    void malformedLineIsSkippedAndNamed()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("run.journal.jsonl").toStdString();
        const auto rows = fixtures::trials(2);
        rewrite(file, std::string(kHeader) + "\n" + line(rows[0]) + "{not json\n" + line(rows[1]));
        TrialStore store;
        JournalFollower follower(store);
        follower.follow(file);
        QCOMPARE(int(store.trials().size()), 2);
        QCOMPARE(follower.linesSkipped(), 1);
        QVERIFY(follower.status().contains("run.journal.jsonl:3"));
    }

    void mainWindowFollowsAJournal()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("run.journal.jsonl").toStdString();
        const auto rows = fixtures::trials(4);
        rewrite(file, std::string(kHeader) + "\n" + line(rows[0]));
        MainWindow window;
        window.journalFollower().setPollInterval(50);
        bool hasAction = false;
        for (QAction* a : window.menuBar()->actions().first()->menu()->actions())
            hasAction = hasAction || a->text().remove('&') == QStringLiteral("Follow Journal...");
        QVERIFY(hasAction); // File > Follow Journal...
        window.followJournal(file);
        QCOMPARE(int(window.trials().trials().size()), 1);
        append(file, line(rows[1]) + line(rows[2]));
        QTRY_COMPARE_WITH_TIMEOUT(int(window.trials().trials().size()), 3, 5000);
        QVERIFY(window.statusBar()->currentMessage().contains("3 trial"));
        window.loadTrials(file); // loading a journal stops following it
        QVERIFY(!window.journalFollower().following());
    }

    void notAJournalIsRefused()
    {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("notes.jsonl").toStdString();
        rewrite(file, "{\"hello\":1}\n");
        TrialStore store;
        JournalFollower follower(store);
        follower.follow(file);
        QVERIFY(!follower.following());
        QVERIFY(follower.status().contains("not a nesy search journal"));
    }
};

QTEST_MAIN(GuiFollowTest)
#include "test_gui_follow.moc"
