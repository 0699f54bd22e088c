#include "SearchSpace.h"
#include "graph/Validation.h"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace nesy {

namespace {

int encodedWidth(const Domain& d)
{
    switch (d.kind) {
    case DomainKind::Categorical:
    case DomainKind::Subset: return int(d.choices.size());
    default: return 1;
    }
}

double unitOf(double v, double lo, double hi) { return hi > lo ? std::clamp((v - lo) / (hi - lo), 0.0, 1.0) : 0.0; }

std::int64_t roundedInteger(double u, const Domain& d)
{
    double lo = std::ceil(d.low), hi = std::floor(d.high);
    return std::int64_t(std::clamp(std::round(lo + std::clamp(u, 0.0, 1.0) * (hi - lo)), lo, hi));
}

std::size_t choiceIndex(const Domain& d, const Value& v, const std::string& key)
{
    auto it = std::find(d.choices.begin(), d.choices.end(), v);
    if (it == d.choices.end())
        throw std::invalid_argument("value " + describeValue(v) + " of \"" + key + "\" is not in " + d.describe());
    return std::size_t(it - d.choices.begin());
}

void encodeValue(const SearchParameter& p, const Value& v, Eigen::Ref<Eigen::VectorXd> out)
{
    const Domain& d = p.domain;
    auto number = [&] {
        if (!v.is_number())
            throw std::invalid_argument("value " + describeValue(v) + " of \"" + p.key + "\" is not a number");
        return v.get<double>();
    };
    switch (d.kind) {
    case DomainKind::Real: out[0] = unitOf(number(), d.low, d.high); break;
    case DomainKind::LogReal: out[0] = unitOf(std::log(number()), std::log(d.low), std::log(d.high)); break;
    case DomainKind::Integer: out[0] = unitOf(number(), std::ceil(d.low), std::floor(d.high)); break;
    case DomainKind::Ordinal: {
        auto n = d.choices.size();
        out[0] = n > 1 ? double(choiceIndex(d, v, p.key)) / double(n - 1) : 0.0;
        break;
    }
    case DomainKind::Categorical: out.setZero(); out[Eigen::Index(choiceIndex(d, v, p.key))] = 1; break;
    case DomainKind::Boolean:
        if (!v.is_boolean())
            throw std::invalid_argument("value " + describeValue(v) + " of \"" + p.key + "\" is not on/off");
        out[0] = v.get<bool>() ? 1 : 0;
        break;
    case DomainKind::Subset:
        if (!v.is_array())
            throw std::invalid_argument("value " + describeValue(v) + " of \"" + p.key + "\" is not a subset");
        out.setZero();
        for (const auto& e : v)
            out[Eigen::Index(choiceIndex(d, e, p.key))] = 1;
        break;
    }
}

Value decodeValue(const SearchParameter& p, const Eigen::Ref<const Eigen::VectorXd>& x)
{
    const Domain& d = p.domain;
    switch (d.kind) {
    case DomainKind::Real: return d.low + std::clamp(x[0], 0.0, 1.0) * (d.high - d.low);
    case DomainKind::LogReal:
        return std::clamp(std::exp(std::log(d.low) + std::clamp(x[0], 0.0, 1.0) * (std::log(d.high) - std::log(d.low))),
                          d.low, d.high);
    case DomainKind::Integer: return roundedInteger(x[0], d);
    case DomainKind::Ordinal: {
        auto n = double(d.choices.size());
        return d.choices[std::size_t(std::clamp(std::round(x[0] * (n - 1)), 0.0, n - 1))];
    }
    case DomainKind::Categorical: {
        Eigen::Index best = 0;
        x.maxCoeff(&best);
        return d.choices[std::size_t(best)];
    }
    case DomainKind::Boolean: return x[0] >= 0.5;
    case DomainKind::Subset: {
        // Members are the bits >= 0.5; then the strongest bits are added or the weakest dropped
        // until the size is legal.
        int n = int(d.choices.size());
        std::vector<int> order(static_cast<std::size_t>(n));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return x[a] > x[b]; });
        int members = int((x.array() >= 0.5).count());
        int size = std::clamp(members, d.minSize, std::min(d.maxSize, n));
        std::vector<bool> in(std::size_t(n), false);
        for (int i = 0; i < size; ++i)
            in[std::size_t(order[std::size_t(i)])] = true;
        Value out = Value::array();
        for (int i = 0; i < n; ++i)
            if (in[std::size_t(i)])
                out.push_back(d.choices[std::size_t(i)]);
        return out;
    }
    }
    return {};
}

Value sampleValue(const Domain& d, Rng& rng)
{
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    switch (d.kind) {
    case DomainKind::Real: return d.low + unit(rng) * (d.high - d.low);
    case DomainKind::LogReal: return std::exp(std::log(d.low) + unit(rng) * (std::log(d.high) - std::log(d.low)));
    case DomainKind::Integer:
        return std::uniform_int_distribution<std::int64_t>(std::int64_t(std::ceil(d.low)),
                                                           std::int64_t(std::floor(d.high)))(rng);
    case DomainKind::Ordinal:
    case DomainKind::Categorical:
        return d.choices[std::uniform_int_distribution<std::size_t>(0, d.choices.size() - 1)(rng)];
    case DomainKind::Boolean: return unit(rng) < 0.5;
    case DomainKind::Subset: {
        int n = int(d.choices.size());
        int size = std::uniform_int_distribution<int>(d.minSize, std::min(d.maxSize, n))(rng);
        std::vector<int> idx(static_cast<std::size_t>(n));
        std::iota(idx.begin(), idx.end(), 0);
        std::shuffle(idx.begin(), idx.end(), rng);
        idx.resize(std::size_t(size));
        std::sort(idx.begin(), idx.end());
        Value out = Value::array();
        for (int i : idx)
            out.push_back(d.choices[std::size_t(i)]);
        return out;
    }
    }
    return {};
}

} // namespace

double numericValue(const Value& v, const std::string& key)
{
    if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
    if (v.is_number()) return v.get<double>();
    throw ConstraintError("parameter \"" + key + "\" has the non-numeric value " + describeValue(v) +
                          " and cannot appear in a constraint");
}

SearchSpace::SearchSpace(std::vector<SearchParameter> params, std::vector<Constraint> constraints, Assignment fixed)
    : params_(std::move(params)), constraints_(std::move(constraints)), fixed_(std::move(fixed))
{
    for (auto& p : params_) {
        if (auto why = p.domain.emptinessReason())
            throw std::invalid_argument("parameter \"" + p.key + "\": " + *why);
        if (p.condition) {
            if (p.condition->param == p.key || !parameter(p.condition->param))
                throw std::invalid_argument("parameter \"" + p.key + "\" depends on \"" + p.condition->param +
                                            "\", which is not another searched parameter");
            simple_ = false;
        }
        p.offset = dims_;
        p.width = encodedWidth(p.domain);
        dims_ += p.width;
    }
    for (const auto& c : constraints_) {
        simple_ = false;
        for (const auto& name : c.names())
            if (!parameter(name) && !fixed_.count(name))
                throw ConstraintError("constraint \"" + c.text() + "\" names \"" + name +
                                      "\", which is not a parameter of the program");
    }
}

SearchSpace SearchSpace::fromGraph(const ProgramGraph& g, const BlockRegistry& registry,
                                   const std::vector<std::string>& constraintTexts)
{
    std::vector<SearchParameter> params;
    for (const auto& b : g.blocks()) {
        const BlockType* type = registry.find(b.type);
        for (const auto& [name, value] : b.params) {
            if (!value.search)
                continue;
            SearchParameter p{paramKey(b.id, name), *value.search, value.value, std::nullopt, 0, 0};
            const ParamSpec* spec = type ? type->param(name) : nullptr;
            if (spec && spec->activeWhen) {
                auto controller = b.params.find(spec->activeWhen->param);
                if (controller != b.params.end() && controller->second.searchable())
                    p.condition = Condition{paramKey(b.id, spec->activeWhen->param), spec->activeWhen->anyOf};
                else if (!parameterActive(b, *type, *spec))
                    continue; // fixed off: searching it would only waste trials
            }
            params.push_back(std::move(p));
        }
    }
    std::vector<Constraint> constraints;
    Assignment fixed;
    for (const auto& text : constraintTexts) {
        auto c = Constraint::parse(text);
        for (const auto& name : c.names()) {
            auto dot = name.find('.');
            const Block* b = g.block(name.substr(0, dot));
            if (!b)
                continue;
            std::string param = name.substr(dot + 1);
            if (auto it = b->params.find(param); it != b->params.end() && !it->second.searchable())
                fixed[name] = it->second.value;
            else if (it == b->params.end())
                if (const BlockType* type = registry.find(b->type))
                    if (const ParamSpec* spec = type->param(param))
                        fixed[name] = spec->defaultValue;
        }
        constraints.push_back(std::move(c));
    }
    return SearchSpace(std::move(params), std::move(constraints), std::move(fixed));
}

SearchSpace SearchSpace::fromProject(const Project& p, const BlockRegistry& registry)
{
    return fromGraph(p.graph, registry, p.constraints);
}

const SearchParameter* SearchSpace::parameter(const std::string& key) const
{
    for (const auto& p : params_)
        if (p.key == key)
            return &p;
    return nullptr;
}

std::optional<double> SearchSpace::cardinality() const
{
    double n = 1;
    for (const auto& p : params_) {
        auto c = p.domain.cardinality();
        if (!c)
            return std::nullopt;
        n *= *c;
    }
    return n;
}

bool SearchSpace::active(const SearchParameter& p, const Assignment& a) const
{
    if (!p.condition)
        return true;
    const SearchParameter* controller = parameter(p.condition->param);
    auto it = a.find(p.condition->param);
    if (!controller || it == a.end())
        return false;
    return p.condition->holds(it->second) && active(*controller, a);
}

Eigen::VectorXd SearchSpace::encode(const Assignment& a) const
{
    Eigen::VectorXd x = Eigen::VectorXd::Zero(dims_);
    for (const auto& p : params_) {
        if (!active(p, a))
            continue; // inactive: constant zeros, so its value never moves the kernel
        auto it = a.find(p.key);
        if (it == a.end())
            throw std::invalid_argument("the assignment has no value for \"" + p.key + "\"");
        encodeValue(p, it->second, x.segment(p.offset, p.width));
    }
    return x;
}

Assignment SearchSpace::decode(const Eigen::VectorXd& x) const
{
    if (x.size() != dims_)
        throw std::invalid_argument("encoded point has " + std::to_string(x.size()) + " dimensions, the space " +
                                    std::to_string(dims_));
    Assignment a;
    for (const auto& p : params_)
        a[p.key] = decodeValue(p, x.segment(p.offset, p.width));
    Assignment out = a;
    for (const auto& p : params_)
        if (!active(p, a))
            out[p.key] = p.inactiveValue;
    return out;
}

bool SearchSpace::satisfiesConstraints(const Assignment& a) const
{
    auto lookup = [&](const std::string& key) {
        if (auto it = a.find(key); it != a.end())
            return numericValue(it->second, key);
        if (auto it = fixed_.find(key); it != fixed_.end())
            return numericValue(it->second, key);
        throw ConstraintError("no value for \"" + key + "\"");
    };
    for (const auto& c : constraints_)
        if (!c.holds(lookup))
            return false;
    return true;
}

Assignment SearchSpace::sample(Rng& rng) const
{
    for (int attempt = 0; attempt < 1000; ++attempt) {
        Assignment a;
        for (const auto& p : params_)
            a[p.key] = sampleValue(p.domain, rng);
        for (const auto& p : params_)
            if (!active(p, a))
                a[p.key] = p.inactiveValue;
        // Inactive values may be anything the graph held; encode/decode gives the canonical point.
        if (satisfiesConstraints(a))
            return a;
    }
    throw std::runtime_error("no point satisfying the constraints found in 1000 random draws");
}

Eigen::VectorXd SearchSpace::sampleEncoded(Rng& rng) const
{
    if (!simple_)
        return encode(sample(rng));
    Eigen::VectorXd x = Eigen::VectorXd::Zero(dims_);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (const auto& p : params_) {
        const Domain& d = p.domain;
        switch (d.kind) {
        case DomainKind::Real:
        case DomainKind::LogReal: x[p.offset] = unit(rng); break;
        case DomainKind::Integer: {
            double lo = std::ceil(d.low), hi = std::floor(d.high);
            x[p.offset] = unitOf(double(std::uniform_int_distribution<std::int64_t>(std::int64_t(lo), std::int64_t(hi))(rng)), lo, hi);
            break;
        }
        default: encodeValue(p, sampleValue(d, rng), x.segment(p.offset, p.width)); break;
        }
    }
    return x;
}

Json SearchSpace::toJson() const
{
    Json list = Json::array();
    for (const auto& p : params_) {
        Json j{{"key", p.key}, {"domain", p.domain.toJson()}};
        if (p.condition)
            j["condition"] = p.condition->toJson();
        list.push_back(j);
    }
    Json c = Json::array();
    for (const auto& k : constraints_)
        c.push_back(k.text());
    return Json{{"parameters", list}, {"constraints", c}};
}

} // namespace nesy
