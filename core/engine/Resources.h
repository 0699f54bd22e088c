#pragma once
// Where the bundled resources (board profiles, examples) are: $NESY_RESOURCES, else next to the
// installed binary (../share/nesy-workbench), else the source tree the binary was built from.
#include <filesystem>

namespace nesy {

std::filesystem::path resourceDir();
std::filesystem::path boardProfileDir();
std::filesystem::path exampleDir();

} // namespace nesy
