// The inspector edits parameters through the editor (undoable), switches between a fixed value and a
// search domain, shows activation conditions, and follows the model on undo.
#include "Inspector.h"
#include "ParameterEditor.h"
#include "engine/Resources.h"
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QtTest>

using namespace nesy;
using namespace nesy::gui;

class GuiInspectorTest : public QObject {
    Q_OBJECT
private:
    GraphModel model_{BlockRegistry::builtin()};
    GraphEditor editor_{model_};

    const Parameter& param(const char* block, const char* name)
    {
        return model_.graph().block(block)->params.at(name);
    }

private slots:
    void init() { model_.setProject(loadProject(exampleDir() / "activity-features-mlp.nesy.json")); }

    void editsAValueAndFollowsUndo()
    {
        Inspector inspector(editor_);
        inspector.showBlock("mlp");
        ParameterEditor* epochs = inspector.parameterEditor("epochs");
        QVERIFY(epochs);
        auto* spin = epochs->findChild<QSpinBox*>();
        QVERIFY(spin);
        QCOMPARE(spin->value(), 20);
        spin->setValue(45);
        QCOMPARE(param("mlp", "epochs").value, Value(45));
        QCOMPARE(editor_.undoStack().count(), 1);
        editor_.undoStack().undo();
        QCOMPARE(param("mlp", "epochs").value, Value(20));
        QCOMPARE(spin->value(), 20); // the view shows the model, not what was typed
    }

    void switchesBetweenFixedAndSearched()
    {
        Inspector inspector(editor_);
        inspector.showBlock("mlp");
        auto* mode = inspector.parameterEditor("epochs")->findChild<QComboBox*>(QStringLiteral("mode"));
        QVERIFY(mode);
        QCOMPARE(mode->currentIndex(), 0);
        mode->setCurrentIndex(1);
        QVERIFY(param("mlp", "epochs").searchable());
        QCOMPARE(param("mlp", "epochs").search->kind, DomainKind::Integer);
        mode->setCurrentIndex(0);
        QVERIFY(!param("mlp", "epochs").searchable());
        // A searched log-range parameter shows its bounds and scale.
        auto* lr = inspector.parameterEditor("learning_rate");
        QCOMPARE(lr->findChild<QComboBox*>(QStringLiteral("mode"))->currentIndex(), 1);
        auto checks = lr->findChildren<QCheckBox*>();
        QVERIFY(std::ranges::any_of(checks, [](QCheckBox* c) { return c->text() == "log scale" && c->isChecked(); }));
        // Unticking "log scale" turns the domain into a linear range, one undo step.
        for (QCheckBox* c : checks)
            if (c->text() == "log scale")
                c->setChecked(false);
        QCOMPARE(param("mlp", "learning_rate").search->kind, DomainKind::Real);
        editor_.undoStack().undo();
        QCOMPARE(param("mlp", "learning_rate").search->kind, DomainKind::LogReal);
    }

    void showsConditions()
    {
        Inspector inspector(editor_);
        inspector.showBlock("features");
        ParameterEditor* bins = inspector.parameterEditor("fft_bins");
        QVERIFY(bins);
        auto conditionText = [&] {
            for (QLabel* l : bins->findChildren<QLabel*>())
                if (l->text().contains("fft_mean"))
                    return l->text();
            return QString();
        };
        QVERIFY2(conditionText().contains("Active"), qPrintable(conditionText()));
        QVERIFY(bins->findChild<QSpinBox*>()->isEnabled());
        Parameter off = param("features", "fft_mean");
        off.value = false;
        editor_.setParameter("features", "fft_mean", off);
        QVERIFY2(conditionText().contains("Inactive"), qPrintable(conditionText()));
        QVERIFY(!bins->findChild<QSpinBox*>()->isEnabled());
    }

    void clearsWhenTheBlockGoes()
    {
        Inspector inspector(editor_);
        inspector.showBlock("mlp");
        QCOMPARE(inspector.blockId(), std::string("mlp"));
        editor_.remove({"mlp"});
        QCOMPARE(inspector.blockId(), std::string());
        QVERIFY(!inspector.parameterEditor("epochs"));
    }
};

QTEST_MAIN(GuiInspectorTest)
#include "test_gui_inspector.moc"
