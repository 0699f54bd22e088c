#pragma once
// Short constructors for the built-in catalogue, so each block reads as a table.
#include "../BlockRegistry.h"

namespace nesy::builtin {

inline ParamSpec realParam(std::string name, std::string title, double def, double lo, double hi, std::string why,
                           bool logScale = false)
{
    Domain range = logScale ? Domain::logReal(lo, hi) : Domain::real(lo, hi);
    return {std::move(name), std::move(title), def, range, range, std::nullopt, std::move(why)};
}

inline ParamSpec intParam(std::string name, std::string title, std::int64_t def, std::int64_t lo, std::int64_t hi,
                          std::string why)
{
    return {std::move(name), std::move(title), def, Domain::integer(lo, hi), Domain::integer(lo, hi), std::nullopt,
            std::move(why)};
}

inline ParamSpec boolParam(std::string name, std::string title, bool def, std::string why)
{
    return {std::move(name), std::move(title), def, Domain::boolean(), Domain::boolean(), std::nullopt, std::move(why)};
}

inline ParamSpec choiceParam(std::string name, std::string title, Value def, std::vector<Value> choices,
                             std::string why, bool ordered = false)
{
    Domain d = ordered ? Domain::ordinal(choices) : Domain::categorical(choices);
    return {std::move(name), std::move(title), std::move(def), d, d, std::nullopt, std::move(why)};
}

inline ParamSpec textParam(std::string name, std::string title, std::string def, std::string why)
{
    // Free text (a path, an expression): any string; not searchable.
    return {std::move(name), std::move(title), Value(std::move(def)), Domain::categorical({}), std::nullopt,
            std::nullopt, std::move(why)};
}

// A parameter the GUI never offers to search: an objective weight must be the same for every trial,
// or the search would lower the weight instead of the violations.
inline ParamSpec notSearched(ParamSpec p)
{
    p.suggestedSearch.reset();
    return p;
}

inline ParamSpec when(ParamSpec p, std::string other, std::vector<Value> anyOf)
{
    p.activeWhen = Condition{std::move(other), std::move(anyOf)};
    return p;
}

inline PortSpec port(std::string name, PortType type, std::string why, bool required = true)
{
    return {std::move(name), type, required, std::move(why)};
}

// True for parameters whose values are free text rather than drawn from a domain.
inline bool isFreeText(const ParamSpec& p)
{
    return p.range.kind == DomainKind::Categorical && p.range.choices.empty();
}

} // namespace nesy::builtin
