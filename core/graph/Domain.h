#pragma once
// A search domain: the set of values a searchable parameter may take.
#include "JsonReader.h"
#include "Value.h"
#include <optional>
#include <string>
#include <vector>

namespace nesy {

enum class DomainKind {
    Real,        // [low, high]
    LogReal,     // [low, high], low > 0, searched on a log scale
    Integer,     // {low, ..., high}
    Ordinal,     // ordered choices
    Categorical, // unordered choices
    Boolean,     // {false, true}
    Subset,      // subsets of `choices` with minSize..maxSize elements (kept in universe order)
};

std::string domainKindName(DomainKind k);
std::optional<DomainKind> domainKindFromName(const std::string& name);

struct Domain {
    DomainKind kind = DomainKind::Real;
    double low = 0.0;
    double high = 1.0;
    std::vector<Value> choices; // Ordinal, Categorical, Subset universe
    int minSize = 0;            // Subset
    int maxSize = 0;            // Subset

    static Domain real(double lo, double hi) { return {DomainKind::Real, lo, hi, {}, 0, 0}; }
    static Domain logReal(double lo, double hi) { return {DomainKind::LogReal, lo, hi, {}, 0, 0}; }
    static Domain integer(std::int64_t lo, std::int64_t hi) { return {DomainKind::Integer, double(lo), double(hi), {}, 0, 0}; }
    static Domain ordinal(std::vector<Value> c) { return {DomainKind::Ordinal, 0, 0, std::move(c), 0, 0}; }
    static Domain categorical(std::vector<Value> c) { return {DomainKind::Categorical, 0, 0, std::move(c), 0, 0}; }
    static Domain boolean() { return {DomainKind::Boolean, 0, 1, {}, 0, 0}; }
    static Domain subset(std::vector<Value> universe, int minSize, int maxSize)
    {
        return {DomainKind::Subset, 0, 0, std::move(universe), minSize, maxSize};
    }

    // Why the domain holds no value (low > high, no choices, subset sizes impossible ...), or
    // nothing when it is usable.
    std::optional<std::string> emptinessReason() const;
    bool contains(const Value& v) const;
    // A representative value (used as the fixed value when a parameter stops being searched).
    Value midpoint() const;
    // Number of distinct values, or nullopt for continuous domains (used for Monte Carlo sizing).
    std::optional<double> cardinality() const;
    std::string describe() const; // "int [3, 63]", "log [1e-4, 1e-1]", "subset of {1,2,4} (3..8)"

    Json toJson() const;
    static Domain fromJson(const JsonReader& r);

    // Equal when they hold the same values (fields a kind does not use are ignored).
    bool operator==(const Domain& o) const { return toJson() == o.toJson(); }
};

// A parameter may be active only when another parameter of the same block takes one of some values
// (for example "dilations" matters only when "backbone" is "tcn"). Inactive parameters are not
// searched and do not enter the surrogate.
struct Condition {
    std::string param;
    std::vector<Value> anyOf;

    bool holds(const Value& v) const;
    std::string describe() const; // "when backbone in {tcn, cnn}"
    Json toJson() const;
    static Condition fromJson(const JsonReader& r);
    bool operator==(const Condition&) const = default;
};

// A block's parameter as stored in a program: a fixed value, or a search domain (with the value
// kept as the current/default choice so the program always runs as-is).
struct Parameter {
    Value value;
    std::optional<Domain> search;

    bool searchable() const { return search.has_value(); }
    bool operator==(const Parameter&) const = default;
};

} // namespace nesy
