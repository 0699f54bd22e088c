#pragma once
// The catalogue of block types. An instance is a plain value: the app and the CLI each build the
// built-in one with BlockRegistry::builtin() and may add user block types to it.
#include "BlockType.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nesy {

class BlockRegistry {
public:
    static BlockRegistry builtin();

    void add(BlockType type); // replaces a type with the same id
    const BlockType* find(const std::string& id) const;
    std::vector<const BlockType*> all() const; // in registration order
    std::vector<const BlockType*> inCategory(BlockCategory c) const;
    std::size_t size() const { return types_.size(); }

    Json toJson() const; // `nesy blocks --json`

private:
    std::vector<BlockType> types_;
};

// The built-in catalogue, one function per category (each in builtin/<Category>.cpp).
namespace builtin {
void addSources(BlockRegistry& r);
void addFeatures(BlockRegistry& r);
void addBackbones(BlockRegistry& r);
void addSymbolic(BlockRegistry& r);
void addKalman(BlockRegistry& r);
void addRules(BlockRegistry& r);
void addSinks(BlockRegistry& r);
} // namespace builtin

} // namespace nesy
