#pragma once
// Checks a program graph against the block registry. Every problem names the block (and port or
// parameter) at fault and the JSON path where it sits in the project file.
#include "BlockRegistry.h"
#include "ProgramGraph.h"
#include <optional>
#include <string>
#include <vector>

namespace nesy {

enum class ProblemKind {
    UnknownBlockType,
    UnknownParameter,
    InvalidValue,
    EmptyDomain,
    DomainOutsideRange,
    UnknownPort,
    TypeMismatch,
    InputConnectedTwice,
    UnconnectedInput,
    Cycle,
    NoSink,
    Unreachable,
};

std::string problemKindName(ProblemKind k); // "type-mismatch", ...

struct Problem {
    ProblemKind kind;
    std::string block; // the block at fault (empty for whole-graph problems)
    std::string port;  // when a port is concerned
    std::string param; // when a parameter is concerned
    std::string jsonPath;
    std::string message;

    std::string toString() const; // "$.graph.connections[2]: block "tcn" port "window": ..."
};

std::vector<Problem> validate(const ProgramGraph& g, const BlockRegistry& registry);

// Why the connection cannot be made (unknown port, incompatible types, input already fed, would
// close a cycle), or nothing when it can. The GUI uses it to refuse a drag and say why.
std::optional<std::string> connectionRefusal(const ProgramGraph& g, const BlockRegistry& registry,
                                             const Connection& c);

// The value a block's parameter has: the one set in the project or the type's default.
Value effectiveValue(const Block& b, const ParamSpec& spec);
// Whether the parameter matters given the block's other values (its condition holds).
bool parameterActive(const Block& b, const BlockType& type, const ParamSpec& spec);
// Whether `domain` only holds values that `range` allows, or why not.
std::optional<std::string> domainOutsideRange(const Domain& domain, const Domain& range);

} // namespace nesy
