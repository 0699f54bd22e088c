#include <QtTest>
class T : public QObject { Q_OBJECT private slots: void placeholder() { QVERIFY(false); } };
QTEST_APPLESS_MAIN(T)
#include "test_search_engine.moc"
