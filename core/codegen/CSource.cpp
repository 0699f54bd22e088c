#include "CSource.h"
#include <charconv>
#include <cstdio>

namespace nesy::codegen {

std::string floatLiteral(float v)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
    std::string s = buf;
    if (s.find_first_of(".en") == std::string::npos)
        s += ".0";
    return s + "f";
}

std::string doubleLiteral(double v)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, res.ptr);
    if (s.find_first_of(".en") == std::string::npos)
        s += ".0";
    return s;
}

void emitFloats(std::ostream& os, const std::string& name, const std::vector<float>& v)
{
    emitArray(os, "float", name, v, floatLiteral);
}

void emitDoubles(std::ostream& os, const std::string& name, const std::vector<double>& v)
{
    emitArray(os, "double", name, v, doubleLiteral);
}

} // namespace nesy::codegen
