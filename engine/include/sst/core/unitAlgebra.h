#ifndef SST_CORE_UNITALGEBRA_H
#define SST_CORE_UNITALGEBRA_H

#include "sst/core/sst_types.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace SST {

namespace Core {

// Exact rational number.  Times, frequencies and sizes are combined and inverted (1 GHz ->
// 1000 ps) without the rounding a double would introduce, so "is this a whole number of
// picoseconds" has a reliable answer.
class Rational {
public:
    using int_t = __int128;

    Rational() = default;
    Rational(int_t num, int_t den = 1);  // throws std::domain_error for den == 0
    static Rational fromDouble(double value);

    int_t numerator() const { return num_; }
    int_t denominator() const { return den_; }

    bool isZero() const { return num_ == 0; }
    bool isInteger() const { return den_ == 1; }
    double toDouble() const;
    int64_t toLong() const;           // rounded to nearest, halves away from zero
    uint64_t toUnsignedLong() const;  // likewise; negative values give 0
    std::string toString(int32_t precision = 6) const;

    Rational& operator+=(const Rational& o);
    Rational& operator-=(const Rational& o);
    Rational& operator*=(const Rational& o);
    Rational& operator/=(const Rational& o);
    Rational inverse() const;

    friend Rational operator+(Rational a, const Rational& b) { return a += b; }
    friend Rational operator-(Rational a, const Rational& b) { return a -= b; }
    friend Rational operator*(Rational a, const Rational& b) { return a *= b; }
    friend Rational operator/(Rational a, const Rational& b) { return a /= b; }

    friend bool operator==(const Rational& a, const Rational& b) { return a.num_ == b.num_ && a.den_ == b.den_; }
    friend bool operator<(const Rational& a, const Rational& b);
    friend bool operator!=(const Rational& a, const Rational& b) { return !(a == b); }
    friend bool operator>(const Rational& a, const Rational& b) { return b < a; }
    friend bool operator<=(const Rational& a, const Rational& b) { return !(b < a); }
    friend bool operator>=(const Rational& a, const Rational& b) { return !(a < b); }

private:
    void normalize();

    int_t num_ = 0;
    int_t den_ = 1;
};

}  // namespace Core

using sst_big_num = Core::Rational;

// Product of base units with integer exponents, e.g. s^-1 for Hz or B*s^-1 for Bps.
class Units {
public:
    Units() = default;
    // Parses a unit expression such as "GHz", "KiB", "B/s"; scales multiplier by its prefixes.
    Units(const std::string& units, Core::Rational& multiplier);

    Units& operator*=(const Units& v);
    Units& operator/=(const Units& v);
    bool operator==(const Units& v) const { return exponents_ == v.exponents_; }
    bool operator!=(const Units& v) const { return !(*this == v); }
    Units& invert();
    bool empty() const { return exponents_.empty(); }

    std::string toString() const;

private:
    std::map<std::string, int> exponents_;  // base unit -> non-zero exponent
};

class UnitAlgebra {
public:
    UnitAlgebra() = default;
    // value := NUMBER [ws] UNITS, e.g. "1GHz", "2.5 us", "4KiB", "64B", "1e3 Hz"
    // Implicit, like SST's.  Deliberately no const char* overload: it would make calls such as
    // getTimeConverter("1ns") ambiguous between the std::string and UnitAlgebra overloads.
    UnitAlgebra(const std::string& val);
    virtual ~UnitAlgebra() = default;
    UnitAlgebra(const UnitAlgebra&) = default;
    UnitAlgebra& operator=(const UnitAlgebra&) = default;

    void init(const std::string& val);

    void print(std::ostream& stream, int32_t precision = 6) const;
    void printWithBestSI(std::ostream& stream, int32_t precision = 6) const;
    std::string toString(int32_t precision = 6) const;
    std::string toStringBestSI(int32_t precision = 6) const;

    UnitAlgebra& operator=(const std::string& v);
    UnitAlgebra& operator*=(const UnitAlgebra& v);
    UnitAlgebra& operator/=(const UnitAlgebra& v);
    UnitAlgebra& operator+=(const UnitAlgebra& v);
    UnitAlgebra& operator-=(const UnitAlgebra& v);

    template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
    UnitAlgebra& operator*=(const T& v) {
        value_ *= scalar(v);
        return *this;
    }
    template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
    UnitAlgebra& operator/=(const T& v) {
        value_ /= scalar(v);
        return *this;
    }

    bool operator>(const UnitAlgebra& v) const;
    bool operator>=(const UnitAlgebra& v) const;
    bool operator<(const UnitAlgebra& v) const;
    bool operator<=(const UnitAlgebra& v) const;
    bool operator==(const UnitAlgebra& v) const;
    bool operator!=(const UnitAlgebra& v) const;

    UnitAlgebra& invert();

    // True when the units equal those of u (prefixes ignored): hasUnits("s") for any time.
    bool hasUnits(const std::string& u) const;
    sst_big_num getValue() const { return value_; }
    int64_t getRoundedValue() const { return value_.toLong(); }
    double getDoubleValue() const { return value_.toDouble(); }
    bool isValueZero() const { return value_.isZero(); }
    const Units& getUnits() const { return unit_; }

    class UnitAlgebraException : public std::logic_error {
    public:
        explicit UnitAlgebraException(const std::string& msg) : std::logic_error(msg) {}
    };
    class InvalidUnitType : public UnitAlgebraException {
    public:
        explicit InvalidUnitType(const std::string& type);
    };
    class InvalidNumberString : public UnitAlgebraException {
    public:
        explicit InvalidNumberString(const std::string& number);
    };
    class NonMatchingUnits : public UnitAlgebraException {
    public:
        NonMatchingUnits(const std::string& lhs, const std::string& rhs, const std::string& operation);
    };

private:
    template <typename T>
    static Core::Rational scalar(const T& v) {
        if constexpr (std::is_integral_v<T>)
            return Core::Rational(static_cast<Core::Rational::int_t>(v));
        else
            return Core::Rational::fromDouble(static_cast<double>(v));
    }
    void requireSameUnits(const UnitAlgebra& v, const char* operation) const;

    Units unit_;
    Core::Rational value_;
};

template <typename T>
UnitAlgebra operator*(UnitAlgebra lhs, const T& rhs) {
    lhs *= rhs;
    return lhs;
}

template <typename T>
UnitAlgebra operator/(UnitAlgebra lhs, const T& rhs) {
    lhs /= rhs;
    return lhs;
}

inline UnitAlgebra operator+(UnitAlgebra lhs, const UnitAlgebra& rhs) {
    lhs += rhs;
    return lhs;
}

inline UnitAlgebra operator-(UnitAlgebra lhs, const UnitAlgebra& rhs) {
    lhs -= rhs;
    return lhs;
}

std::ostream& operator<<(std::ostream& os, const UnitAlgebra& r);

}  // namespace SST

#endif
