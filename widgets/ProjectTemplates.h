#pragma once
// The new-project templates: one per neurosymbolic shape, each a complete project whose description
// teaches the shape. Bundled into the binary (resources/templates) so "New" works anywhere.
#include "graph/Project.h"
#include <QDialog>
#include <QString>
#include <vector>

class QListWidget;
class QTextBrowser;

namespace nesy::gui {

struct ProjectTemplate {
    QString resource; // ":/templates/1-features-backbone.nesy.json"
    Project project;
};

// Every bundled template, in shape order; throws FormatError naming a broken one.
std::vector<ProjectTemplate> projectTemplates();

// Lets the user pick a template, reading each one's explanation and graph outline first.
class NewProjectDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewProjectDialog(QWidget* parent = nullptr);
    // The chosen template's project (location empty: it has never been saved).
    Project chosenProject() const;
    QListWidget* list() const { return list_; }

private:
    void showDetails(int row);

    std::vector<ProjectTemplate> templates_;
    QListWidget* list_;
    QTextBrowser* details_;
};

} // namespace nesy::gui
