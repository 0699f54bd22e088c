#include "WorkbenchApp.h"

int main(int argc, char** argv) { return nesy::gui::runWorkbench(argc, argv); }
