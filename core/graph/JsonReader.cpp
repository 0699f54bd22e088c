#include "JsonReader.h"
#include <algorithm>
#include <cmath>
#include <sstream>

namespace nesy {

std::string jsonTypeName(const Json& j)
{
    switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "array";
    case Json::value_t::object: return "object";
    default: return "binary";
    }
}

JsonReader JsonReader::at(const std::string& key) const
{
    if (auto r = find(key))
        return *r;
    fail("missing required member \"" + key + "\"");
}

std::optional<JsonReader> JsonReader::find(const std::string& key) const
{
    requireObject();
    auto it = node_->find(key);
    if (it == node_->end())
        return std::nullopt;
    return JsonReader(*it, path_ + "." + key);
}

JsonReader JsonReader::at(std::size_t index) const
{
    requireArray();
    if (index >= node_->size())
        fail("index " + std::to_string(index) + " out of range");
    return JsonReader((*node_)[index], path_ + "[" + std::to_string(index) + "]");
}

std::size_t JsonReader::size() const
{
    requireArray();
    return node_->size();
}

std::vector<JsonReader> JsonReader::items() const
{
    requireArray();
    std::vector<JsonReader> out;
    out.reserve(node_->size());
    for (std::size_t i = 0; i < node_->size(); ++i)
        out.emplace_back((*node_)[i], path_ + "[" + std::to_string(i) + "]");
    return out;
}

std::string JsonReader::asString() const
{
    if (!node_->is_string())
        fail("expected a string, found " + jsonTypeName(*node_));
    return node_->get<std::string>();
}

double JsonReader::asNumber() const
{
    if (!node_->is_number())
        fail("expected a number, found " + jsonTypeName(*node_));
    double v = node_->get<double>();
    if (!std::isfinite(v))
        fail("expected a finite number");
    return v;
}

std::int64_t JsonReader::asInteger() const
{
    if (node_->is_number_integer() || node_->is_number_unsigned())
        return node_->get<std::int64_t>();
    if (node_->is_number_float()) {
        double v = node_->get<double>();
        if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 9e15)
            return static_cast<std::int64_t>(v);
    }
    fail("expected an integer, found " + jsonTypeName(*node_));
}

bool JsonReader::asBool() const
{
    if (!node_->is_boolean())
        fail("expected true or false, found " + jsonTypeName(*node_));
    return node_->get<bool>();
}

void JsonReader::requireObject() const
{
    if (!node_->is_object())
        fail("expected an object, found " + jsonTypeName(*node_));
}

void JsonReader::requireArray() const
{
    if (!node_->is_array())
        fail("expected an array, found " + jsonTypeName(*node_));
}

void JsonReader::allowOnly(std::initializer_list<const char*> allowed) const
{
    requireObject();
    for (auto it = node_->begin(); it != node_->end(); ++it) {
        bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; });
        if (!known)
            JsonReader(*it, path_ + "." + it.key()).fail("unknown member \"" + it.key() + "\"");
    }
}

std::string JsonReader::optString(const std::string& key, const std::string& fallback) const
{
    auto r = find(key);
    return r ? r->asString() : fallback;
}

double JsonReader::optNumber(const std::string& key, double fallback) const
{
    auto r = find(key);
    return r ? r->asNumber() : fallback;
}

std::int64_t JsonReader::optInteger(const std::string& key, std::int64_t fallback) const
{
    auto r = find(key);
    return r ? r->asInteger() : fallback;
}

bool JsonReader::optBool(const std::string& key, bool fallback) const
{
    auto r = find(key);
    return r ? r->asBool() : fallback;
}

Json parseJsonText(const std::string& text, const std::string& what)
{
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        // Translate the byte offset into line and column, which people can find in an editor.
        std::size_t offset = std::min<std::size_t>(e.byte, text.size());
        std::size_t line = 1, col = 1;
        for (std::size_t i = 0; i + 1 < offset; ++i) {
            if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
        }
        std::string reason = offset >= text.size() ? "unexpected end of file (truncated?)" : "syntax error";
        throw FormatError(what + ":" + std::to_string(line) + ":" + std::to_string(col),
                          "invalid JSON: " + reason);
    }
}

std::string describeValue(const Value& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_array()) {
        std::string s = "{";
        for (std::size_t i = 0; i < v.size(); ++i)
            s += (i ? "," : "") + describeValue(v[i]);
        return s + "}";
    }
    if (v.is_number_float()) {
        std::ostringstream os;
        os << v.get<double>();
        return os.str();
    }
    return v.dump();
}

} // namespace nesy
