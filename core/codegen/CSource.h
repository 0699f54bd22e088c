#pragma once
// Pieces of C source text shared by the generators (CGenerator, FilterC, DecisionC): literals that
// read back as the same value, and constant arrays.
#include <ostream>
#include <string>
#include <vector>

namespace nesy::codegen {

std::string floatLiteral(float v);   // "0.5f": 9 significant digits read back as the same float
std::string doubleLiteral(double v); // "0.5": the shortest text that reads back as the same double

// static const TYPE NAME[n] = { ... };  (one 0 element for an empty array: C has no empty arrays)
template <class T, class Format>
void emitArray(std::ostream& os, const char* type, const std::string& name, const std::vector<T>& values, Format fmt)
{
    os << "static const " << type << " " << name << "[" << (values.empty() ? 1 : values.size()) << "] = {";
    for (std::size_t i = 0; i < values.size(); ++i)
        os << (i % 12 == 0 ? "\n    " : " ") << fmt(values[i]) << ",";
    if (values.empty())
        os << "0";
    os << "\n};\n";
}

void emitFloats(std::ostream& os, const std::string& name, const std::vector<float>& v);
void emitDoubles(std::ostream& os, const std::string& name, const std::vector<double>& v);

template <class T>
void emitInts(std::ostream& os, const char* type, const std::string& name, const std::vector<T>& v)
{
    emitArray(os, type, name, v, [](T x) {
        // INT32_MIN cannot be written as a literal; spell it as an expression.
        long long n = static_cast<long long>(x);
        return n == -2147483648LL ? std::string("(-2147483647 - 1)") : std::to_string(n);
    });
}

} // namespace nesy::codegen
