// The Debian package: built by CPack, unpacked with dpkg-deb into a temporary root, and its
// programs run from there (nesy --version, nesy validate on an installed example, a screenshot of
// the installed GUI).
#include <QtTest>
#include <QImage>

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& args, const QString& workDir = {}, int timeoutMs = 300000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("NESY_RESOURCES"); // the installed binaries must find their own resources
    env.insert("QT_QPA_PLATFORM", "offscreen");
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestInstallerPackage : public QObject {
    Q_OBJECT
    QTemporaryDir work;
    QString deb;
    QString root;

private slots:
    void initTestCase()
    {
        QVERIFY(work.isValid());
        Run pack = run("cpack", {"-G", "DEB", "-B", work.filePath("pkg")}, NESY_BUILD_DIR);
        QVERIFY2(pack.code == 0, qPrintable(pack.out + pack.err));
        QStringList debs = QDir(work.filePath("pkg")).entryList({"*.deb"});
        QCOMPARE(debs.size(), 1);
        deb = work.filePath("pkg/" + debs.front());
        root = work.filePath("root");
        Run unpack = run("dpkg-deb", {"-x", deb, root});
        QVERIFY2(unpack.code == 0, qPrintable(unpack.err));
    }

    void controlDeclaresDependencies()
    {
        Run f = run("dpkg-deb", {"-f", deb, "Package", "Version", "Depends"});
        QCOMPARE(f.code, 0);
        QVERIFY2(f.out.contains("Package: nesy-workbench"), qPrintable(f.out));
        QVERIFY2(f.out.contains("Version: " NESY_VERSION), qPrintable(f.out));
        QVERIFY2(f.out.contains("libqt6"), qPrintable(f.out)); // from dpkg-shlibdeps
    }

    void installsDesktopIntegration()
    {
        for (const char* path : {"usr/bin/nesy", "usr/bin/nesy-workbench",
                                 "usr/share/applications/io.github.nesy_workbench.NesyWorkbench.desktop",
                                 "usr/share/metainfo/io.github.nesy_workbench.NesyWorkbench.metainfo.xml",
                                 "usr/share/icons/hicolor/scalable/apps/nesy-workbench.svg",
                                 "usr/share/mime/packages/nesy-workbench-mime.xml",
                                 "usr/share/man/man1/nesy.1", "usr/share/man/man1/nesy-workbench.1",
                                 "usr/share/nesy-workbench/boards/nucleo-f446re.json",
                                 "usr/share/nesy-workbench/examples/activity-features-mlp.nesy.json"})
            QVERIFY2(QFile::exists(root + "/" + path), path);
        Run desktop = run("desktop-file-validate",
                          {root + "/usr/share/applications/io.github.nesy_workbench.NesyWorkbench.desktop"});
        QVERIFY2(desktop.code == 0 && !desktop.out.contains("error"), qPrintable(desktop.out + desktop.err));
        Run meta = run("appstreamcli", {"validate", "--no-net",
                                        root + "/usr/share/metainfo/io.github.nesy_workbench.NesyWorkbench.metainfo.xml"});
        QVERIFY2(meta.code == 0, qPrintable(meta.out + meta.err));
        // groff renders each man page without warnings (a broken macro would print one).
        for (const char* page : {"nesy.1", "nesy-workbench.1"}) {
            Run man = run("groff", {"-man", "-Tutf8", "-ww", "-z", root + "/usr/share/man/man1/" + page});
            QVERIFY2(man.code == 0 && man.err.isEmpty(), qPrintable(man.err));
        }
    }

    void udevRulesAreNeverWorldWritable()
    {
        QDir rules(root + "/lib/udev/rules.d");
        for (const QString& name : rules.entryList({"*.rules"})) {
            QFile f(rules.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QString text = QString::fromUtf8(f.readAll());
            QVERIFY2(!text.contains(QRegularExpression(R"(MODE\s*=\s*"0?6[0-7]6")")), qPrintable(name));
            QVERIFY2(text.contains("uaccess"), qPrintable(name));
        }
    }

    // The project's shared libraries ship in the package's private folder and the installed programs
    // resolve them there, never from the build tree.
    void programsLoadTheProjectsLibrariesFromThePackage()
    {
        const QString libDir = root + "/usr/lib/nesy-workbench/";
        QVERIFY(QFile::exists(libDir + "libnesy_learn.so"));
        QVERIFY2(!QFile::exists(libDir + "libnesy_devices_umockdev.so"), "a test-only library was installed");
        for (const char* program : {"usr/bin/nesy", "usr/bin/nesy-workbench"}) {
            Run ldd = run("ldd", {root + "/" + program});
            QCOMPARE(ldd.code, 0);
            QVERIFY2(!ldd.out.contains("not found"), qPrintable(ldd.out));
            int projectLibraries = 0;
            for (const QString& line : ldd.out.split('\n')) {
                if (!line.trimmed().startsWith("libnesy_"))
                    continue;
                ++projectLibraries;
                // "libnesy_x.so => /path/to/libnesy_x.so (0x...)"
                const QString resolved = line.section("=> ", 1).section(" (", 0, 0);
                QVERIFY2(QFileInfo(resolved).canonicalFilePath().startsWith(QFileInfo(libDir).canonicalFilePath() + "/"),
                         qPrintable(line));
            }
            QVERIFY2(projectLibraries >= 5, qPrintable(ldd.out));
        }
    }

    void installedCliRuns()
    {
        Run v = run(root + "/usr/bin/nesy", {"--version"});
        QCOMPARE(v.code, 0);
        QCOMPARE(v.out.trimmed(), QString("nesy " NESY_VERSION));
        Run val = run(root + "/usr/bin/nesy",
                      {"validate", root + "/usr/share/nesy-workbench/examples/activity-features-mlp.nesy.json"});
        QVERIFY2(val.code == 0, qPrintable(val.err));
    }

    void installedGuiTakesAScreenshot()
    {
        QString png = work.filePath("installed.png");
        Run shot = run(root + "/usr/bin/nesy-workbench",
                       {"--screenshot", png, root + "/usr/share/nesy-workbench/examples/activity-features-mlp.nesy.json"});
        QVERIFY2(shot.code == 0, qPrintable(shot.err));
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 640 && image.height() >= 400);
    }
};

QTEST_GUILESS_MAIN(TestInstallerPackage)
#include "test_installer_package.moc"
