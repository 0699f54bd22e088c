#pragma once
// Generated C against the engine (or a reference), one rule for every codegen test: int8 programs
// bit for bit (the same integer arithmetic), float ones within 1e-5 relative (the C compiler may
// contract or reorder float operations).
#include <QString>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace nesy::testing {

inline bool sameOutput(float got, float want, bool bitExact)
{
    if (!bitExact)
        return std::fabs(got - want) <= 1e-5f * std::max(1.0f, std::fabs(want));
    std::uint32_t a, b;
    std::memcpy(&a, &got, 4);
    std::memcpy(&b, &want, 4);
    return a == b;
}

// Fails the running test at the first value that differs, naming `what` and the value's index.
inline void requireSameOutputs(const float* got, const float* want, std::size_t n, bool bitExact, const QString& what)
{
    for (std::size_t i = 0; i < n; ++i)
        QVERIFY2(sameOutput(got[i], want[i], bitExact),
                 qPrintable(QString("%1 output %2: C %3, engine %4").arg(what).arg(i).arg(got[i]).arg(want[i])));
}

inline void requireSameOutputs(const std::vector<float>& got, const std::vector<float>& want, bool bitExact,
                               const QString& what)
{
    QCOMPARE(got.size(), want.size());
    requireSameOutputs(got.data(), want.data(), got.size(), bitExact, what);
}

// Float outputs within 1e-5 relative.
inline void requireClose(const std::vector<float>& got, const std::vector<float>& want, const char* what)
{
    requireSameOutputs(got, want, false, what);
}

} // namespace nesy::testing
