#include "Domain.h"
#include <algorithm>
#include <cmath>
#include <sstream>

namespace nesy {

namespace {
const std::pair<DomainKind, const char*> kKindNames[] = {
    {DomainKind::Real, "real"},       {DomainKind::LogReal, "log-real"},
    {DomainKind::Integer, "integer"}, {DomainKind::Ordinal, "ordinal"},
    {DomainKind::Categorical, "categorical"}, {DomainKind::Boolean, "boolean"},
    {DomainKind::Subset, "subset"},
};

std::string fmt(double v)
{
    std::ostringstream os;
    os << v;
    return os.str();
}

std::string joinValues(const std::vector<Value>& vs)
{
    std::string s;
    for (std::size_t i = 0; i < vs.size(); ++i)
        s += (i ? ", " : "") + describeValue(vs[i]);
    return s;
}

double binomial(int n, int k)
{
    double r = 1;
    for (int i = 1; i <= k; ++i)
        r = r * (n - k + i) / i;
    return r;
}
} // namespace

std::string domainKindName(DomainKind k)
{
    for (auto& [kind, name] : kKindNames)
        if (kind == k)
            return name;
    return "?";
}

std::optional<DomainKind> domainKindFromName(const std::string& name)
{
    for (auto& [kind, n] : kKindNames)
        if (name == n)
            return kind;
    return std::nullopt;
}

std::optional<std::string> Domain::emptinessReason() const
{
    switch (kind) {
    case DomainKind::Real:
        if (!(low <= high)) return "low " + fmt(low) + " is above high " + fmt(high);
        return std::nullopt;
    case DomainKind::LogReal:
        if (low <= 0) return "a log range needs low > 0 (low is " + fmt(low) + ")";
        if (!(low <= high)) return "low " + fmt(low) + " is above high " + fmt(high);
        return std::nullopt;
    case DomainKind::Integer:
        if (std::ceil(low) > std::floor(high)) return "no integer between " + fmt(low) + " and " + fmt(high);
        return std::nullopt;
    case DomainKind::Ordinal:
    case DomainKind::Categorical:
        if (choices.empty()) return "no choices";
        return std::nullopt;
    case DomainKind::Boolean:
        return std::nullopt;
    case DomainKind::Subset:
        if (choices.empty()) return "the set to choose from is empty";
        if (minSize < 0 || minSize > maxSize)
            return "subset size range " + std::to_string(minSize) + ".." + std::to_string(maxSize) + " is empty";
        if (minSize > int(choices.size()))
            return "subsets need at least " + std::to_string(minSize) + " elements but the set has " +
                   std::to_string(choices.size());
        return std::nullopt;
    }
    return "unknown domain kind";
}

bool Domain::contains(const Value& v) const
{
    switch (kind) {
    case DomainKind::Real:
    case DomainKind::LogReal:
        return v.is_number() && v.get<double>() >= low && v.get<double>() <= high;
    case DomainKind::Integer:
        if (!v.is_number_integer() && !v.is_number_unsigned()) return false;
        return double(v.get<std::int64_t>()) >= low && double(v.get<std::int64_t>()) <= high;
    case DomainKind::Ordinal:
    case DomainKind::Categorical:
        return std::find(choices.begin(), choices.end(), v) != choices.end();
    case DomainKind::Boolean:
        return v.is_boolean();
    case DomainKind::Subset: {
        if (!v.is_array()) return false;
        int n = int(v.size());
        if (n < minSize || n > maxSize) return false;
        // Elements must come from the universe, distinct, in universe order.
        std::ptrdiff_t last = -1;
        for (const auto& e : v) {
            auto it = std::find(choices.begin(), choices.end(), e);
            if (it == choices.end()) return false;
            auto idx = it - choices.begin();
            if (idx <= last) return false;
            last = idx;
        }
        return true;
    }
    }
    return false;
}

Value Domain::midpoint() const
{
    switch (kind) {
    case DomainKind::Real: return (low + high) / 2;
    case DomainKind::LogReal: return std::sqrt(low * high);
    case DomainKind::Integer: return std::int64_t(std::llround((low + high) / 2));
    case DomainKind::Ordinal:
    case DomainKind::Categorical: return choices.empty() ? Value() : choices[choices.size() / 2];
    case DomainKind::Boolean: return true;
    case DomainKind::Subset: {
        Value out = Value::array();
        int n = std::clamp((minSize + maxSize) / 2, 0, int(choices.size()));
        for (int i = 0; i < n; ++i)
            out.push_back(choices[i]);
        return out;
    }
    }
    return {};
}

std::optional<double> Domain::cardinality() const
{
    switch (kind) {
    case DomainKind::Real:
    case DomainKind::LogReal: return std::nullopt;
    case DomainKind::Integer: return std::floor(high) - std::ceil(low) + 1;
    case DomainKind::Ordinal:
    case DomainKind::Categorical: return double(choices.size());
    case DomainKind::Boolean: return 2.0;
    case DomainKind::Subset: {
        double c = 0;
        for (int k = minSize; k <= std::min<int>(maxSize, int(choices.size())); ++k)
            c += binomial(int(choices.size()), k);
        return c;
    }
    }
    return std::nullopt;
}

std::string Domain::describe() const
{
    switch (kind) {
    case DomainKind::Real: return "real [" + fmt(low) + ", " + fmt(high) + "]";
    case DomainKind::LogReal: return "log [" + fmt(low) + ", " + fmt(high) + "]";
    case DomainKind::Integer: return "int [" + fmt(low) + ", " + fmt(high) + "]";
    case DomainKind::Ordinal: return "ordinal {" + joinValues(choices) + "}";
    case DomainKind::Categorical: return "one of {" + joinValues(choices) + "}";
    case DomainKind::Boolean: return "on/off";
    case DomainKind::Subset:
        return "subset of {" + joinValues(choices) + "} with " + std::to_string(minSize) + ".." +
               std::to_string(maxSize) + " elements";
    }
    return "?";
}

Json Domain::toJson() const
{
    Json j;
    j["kind"] = domainKindName(kind);
    switch (kind) {
    case DomainKind::Real:
    case DomainKind::LogReal:
        j["low"] = low;
        j["high"] = high;
        break;
    case DomainKind::Integer:
        j["low"] = std::int64_t(low);
        j["high"] = std::int64_t(high);
        break;
    case DomainKind::Ordinal:
    case DomainKind::Categorical:
        j["choices"] = choices;
        break;
    case DomainKind::Boolean:
        break;
    case DomainKind::Subset:
        j["of"] = choices;
        j["minSize"] = minSize;
        j["maxSize"] = maxSize;
        break;
    }
    return j;
}

Domain Domain::fromJson(const JsonReader& r)
{
    r.requireObject();
    auto kindReader = r.at("kind");
    auto kind = domainKindFromName(kindReader.asString());
    if (!kind)
        kindReader.fail("unknown domain kind \"" + kindReader.asString() +
                        "\" (expected real, log-real, integer, ordinal, categorical, boolean or subset)");
    Domain d;
    d.kind = *kind;
    switch (d.kind) {
    case DomainKind::Real:
    case DomainKind::LogReal:
        r.allowOnly({"kind", "low", "high"});
        d.low = r.at("low").asNumber();
        d.high = r.at("high").asNumber();
        break;
    case DomainKind::Integer:
        r.allowOnly({"kind", "low", "high"});
        d.low = double(r.at("low").asInteger());
        d.high = double(r.at("high").asInteger());
        break;
    case DomainKind::Ordinal:
    case DomainKind::Categorical:
        r.allowOnly({"kind", "choices"});
        r.at("choices").requireArray();
        d.choices = r.at("choices").node().get<std::vector<Value>>();
        break;
    case DomainKind::Boolean:
        r.allowOnly({"kind"});
        d.low = 0;
        d.high = 1;
        break;
    case DomainKind::Subset:
        r.allowOnly({"kind", "of", "minSize", "maxSize"});
        r.at("of").requireArray();
        d.choices = r.at("of").node().get<std::vector<Value>>();
        d.minSize = int(r.at("minSize").asInteger());
        d.maxSize = int(r.at("maxSize").asInteger());
        break;
    }
    return d;
}

bool Condition::holds(const Value& v) const
{
    return std::find(anyOf.begin(), anyOf.end(), v) != anyOf.end();
}

std::string Condition::describe() const
{
    return "when " + param + " in {" + joinValues(anyOf) + "}";
}

Json Condition::toJson() const
{
    return Json{{"param", param}, {"in", anyOf}};
}

Condition Condition::fromJson(const JsonReader& r)
{
    r.allowOnly({"param", "in"});
    Condition c;
    c.param = r.at("param").asString();
    r.at("in").requireArray();
    c.anyOf = r.at("in").node().get<std::vector<Value>>();
    return c;
}

} // namespace nesy
