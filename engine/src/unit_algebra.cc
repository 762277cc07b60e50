#include "sst/core/unitAlgebra.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

namespace SST {

namespace Core {

namespace {

using int_t = Rational::int_t;

int_t absolute(int_t v) { return v < 0 ? -v : v; }

int_t gcd(int_t a, int_t b) {
    a = absolute(a);
    b = absolute(b);
    while (b != 0) {
        int_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

[[noreturn]] void overflow() { throw UnitAlgebra::UnitAlgebraException("UnitAlgebra: value out of range"); }

int_t mul(int_t a, int_t b) {
    int_t r;
    if (__builtin_mul_overflow(a, b, &r))
        overflow();
    return r;
}

int_t add(int_t a, int_t b) {
    int_t r;
    if (__builtin_add_overflow(a, b, &r))
        overflow();
    return r;
}

std::string integerToString(int_t v) {
    if (v == 0)
        return "0";
    const bool negative = v < 0;
    std::string digits;
    for (int_t m = absolute(v); m != 0; m /= 10)
        digits.insert(digits.begin(), char('0' + int(m % 10)));
    return negative ? "-" + digits : digits;
}

}  // namespace

Rational::Rational(int_t num, int_t den) : num_(num), den_(den) {
    if (den == 0)
        throw std::domain_error("Rational: zero denominator");
    normalize();
}

void Rational::normalize() {
    if (den_ < 0) {
        num_ = -num_;
        den_ = -den_;
    }
    const int_t g = gcd(num_, den_);
    if (g > 1) {
        num_ /= g;
        den_ /= g;
    }
    if (num_ == 0)
        den_ = 1;
}

Rational Rational::fromDouble(double value) {
    if (!std::isfinite(value))
        throw UnitAlgebra::UnitAlgebraException("UnitAlgebra: non-finite value");
    int exponent = 0;
    double mantissa = std::frexp(value, &exponent);  // value = mantissa * 2^exponent, |mantissa| in [0.5, 1)
    int_t m = static_cast<int_t>(std::ldexp(mantissa, 53));
    exponent -= 53;
    while (exponent < -120 && m != 0) {  // keep 2^-exponent within range, dropping insignificant bits
        m /= 2;
        ++exponent;
    }
    if (exponent >= 0)
        return Rational(mul(m, int_t(1) << std::min(exponent, 120)));
    return Rational(m, int_t(1) << -exponent);
}

double Rational::toDouble() const {
    return static_cast<double>(static_cast<long double>(num_) / static_cast<long double>(den_));
}

int64_t Rational::toLong() const {
    int_t q = num_ / den_;
    int_t r = num_ % den_;
    if (2 * absolute(r) >= den_)
        q += num_ < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN)
        overflow();
    return static_cast<int64_t>(q);
}

uint64_t Rational::toUnsignedLong() const {
    if (num_ < 0)
        return 0;
    int_t q = num_ / den_;
    if (2 * (num_ % den_) >= den_)
        ++q;
    if (q > int_t(UINT64_MAX))
        overflow();
    return static_cast<uint64_t>(q);
}

// SST's decimal layout (its sst_big_num: 24 whole and 24 fractional digits): `precision`
// significant digits (0 or less: all 48), rounded half to even; exponent notation once the whole
// part has more digits than that or the value is below 0.0001; no trailing zeros.
std::string Rational::toString(int32_t precision) const {
    constexpr int kFractionDigits = 24;
    constexpr int kAllDigits = 48;
    if (precision <= 0 || precision > kAllDigits)
        precision = kAllDigits;
    using uint_t = unsigned __int128;
    const bool negative = num_ < 0;
    const uint_t n = static_cast<uint_t>(negative ? -num_ : num_);
    const uint_t d = static_cast<uint_t>(den_);

    // Digits, most significant first: the whole part, then 24 fractional digits (truncated).
    std::vector<int> digits;
    for (uint_t whole = n / d; whole != 0; whole /= 10)
        digits.insert(digits.begin(), int(whole % 10));
    int whole_count = static_cast<int>(digits.size());
    uint_t rest = n % d;
    for (int i = 0; i < kFractionDigits; ++i) {
        rest *= 10;
        digits.push_back(int(rest / d));
        rest %= d;
    }
    auto firstNonZero = [&] {
        for (size_t i = 0; i < digits.size(); ++i)
            if (digits[i] != 0)
                return static_cast<int>(i);
        return -1;
    };
    int first = firstNonZero();
    if (first < 0)
        return "0";

    const int round_at = first + precision;  // the first digit not kept
    if (round_at < static_cast<int>(digits.size())) {
        bool up = digits[round_at] > 5;
        if (digits[round_at] == 5) {
            bool more = rest != 0;
            for (size_t i = round_at + 1; i < digits.size() && !more; ++i)
                more = digits[i] != 0;
            up = more || digits[round_at - 1] % 2 == 1;
        }
        for (size_t i = round_at; i < digits.size(); ++i)
            digits[i] = 0;
        for (int i = round_at - 1; up && i >= 0; --i) {
            digits[i] += 1;
            up = digits[i] == 10;
            if (up)
                digits[i] = 0;
        }
        if (up) {  // 9.99... became 10.0...
            digits.insert(digits.begin(), 1);
            ++whole_count;
        }
        first = firstNonZero();
    }

    const int exponent = whole_count - 1 - first;  // of the first significant digit
    const int last = std::min(first + precision, static_cast<int>(digits.size())) - 1;
    auto significant = [&](int from, int to) {  // digits[from..to] without trailing zeros
        while (to >= from && digits[to] == 0)
            --to;
        std::string text;
        for (int i = from; i <= to; ++i)
            text += char('0' + digits[i]);
        return text;
    };
    std::string text = negative ? "-" : "";
    if (exponent >= precision || exponent < -4) {
        const std::string tail = significant(first + 1, last);
        char power[16];
        std::snprintf(power, sizeof(power), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        text += char('0' + digits[first]) + (tail.empty() ? "" : "." + tail) + power;
    } else if (exponent >= 0) {
        for (int i = first; i < whole_count; ++i)
            text += char('0' + digits[i]);
        const std::string fraction = significant(whole_count, last);
        if (!fraction.empty())
            text += "." + fraction;
    } else {
        text += "0." + std::string(-exponent - 1, '0') + significant(first, last);
    }
    return text;
}

Rational& Rational::operator+=(const Rational& o) {
    const int_t g = gcd(den_, o.den_);
    num_ = add(mul(num_, o.den_ / g), mul(o.num_, den_ / g));
    den_ = mul(den_, o.den_ / g);
    normalize();
    return *this;
}

Rational& Rational::operator-=(const Rational& o) { return *this += Rational(-o.num_, o.den_); }

Rational& Rational::operator*=(const Rational& o) {
    // Cross-reduce first so intermediate products stay small.
    const int_t g1 = gcd(num_, o.den_);
    const int_t g2 = gcd(o.num_, den_);
    num_ = mul(num_ / (g1 ? g1 : 1), o.num_ / (g2 ? g2 : 1));
    den_ = mul(den_ / (g2 ? g2 : 1), o.den_ / (g1 ? g1 : 1));
    normalize();
    return *this;
}

Rational& Rational::operator/=(const Rational& o) { return *this *= o.inverse(); }

Rational Rational::inverse() const {
    if (num_ == 0)
        throw UnitAlgebra::UnitAlgebraException("UnitAlgebra: division by zero");
    return Rational(den_, num_);
}

bool operator<(const Rational& a, const Rational& b) { return mul(a.num_, b.den_) < mul(b.num_, a.den_); }

}  // namespace Core

namespace {

using Core::Rational;

struct UnitDefinition {
    const char* name;
    std::vector<std::pair<const char*, int>> base;  // base unit, exponent
};

// Base units are s, B, b and events; the others are shorthands for products of them.
const std::vector<UnitDefinition>& unitTable() {
    static const std::vector<UnitDefinition> table = {
        {"s", {{"s", 1}}},
        {"B", {{"B", 1}}},
        {"b", {{"b", 1}}},
        {"events", {{"events", 1}}},
        {"event", {{"events", 1}}},
        {"Hz", {{"s", -1}}},
        {"hz", {{"s", -1}}},
        {"Bps", {{"B", 1}, {"s", -1}}},
        {"bps", {{"b", 1}, {"s", -1}}},
    };
    return table;
}

struct Prefix {
    const char* text;
    Rational factor;
};

const std::vector<Prefix>& prefixTable() {
    using int_t = Rational::int_t;
    auto ten = [](int e) {
        int_t r = 1;
        for (int i = 0; i < (e < 0 ? -e : e); ++i)
            r *= 10;
        return e < 0 ? Rational(1, r) : Rational(r);
    };
    auto two = [](int e) { return Rational(int_t(1) << e); };
    // Binary prefixes first: "Ki" must win over "K".
    static const std::vector<Prefix> table = {
        {"Ki", two(10)}, {"ki", two(10)}, {"Mi", two(20)}, {"Gi", two(30)}, {"Ti", two(40)},
        {"Pi", two(50)}, {"Ei", two(60)}, {"a", ten(-18)}, {"f", ten(-15)}, {"p", ten(-12)},
        {"n", ten(-9)},  {"u", ten(-6)},  {"m", ten(-3)},  {"k", ten(3)},   {"K", ten(3)},
        {"M", ten(6)},   {"G", ten(9)},   {"T", ten(12)},  {"P", ten(15)},  {"E", ten(18)},
    };
    return table;
}

const UnitDefinition* findUnit(const std::string& name) {
    for (const UnitDefinition& unit : unitTable())
        if (name == unit.name)
            return &unit;
    return nullptr;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, separator))
        parts.push_back(part);
    if (!text.empty() && text.back() == separator)
        parts.push_back("");
    return parts;
}

std::string trim(const std::string& s) {
    const size_t begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos)
        return std::string();
    return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

}  // namespace

Units::Units(const std::string& units, Rational& multiplier) {
    const std::vector<std::string> groups = split(units, '/');
    if (groups.size() > 2)
        throw UnitAlgebra::InvalidUnitType(units);
    for (size_t g = 0; g < groups.size(); ++g) {
        const int sign = g == 0 ? 1 : -1;
        for (const std::string& token : split(groups[g], '-')) {
            const UnitDefinition* unit = findUnit(token);
            Rational factor = Rational(1);
            for (size_t i = 0; unit == nullptr && i < prefixTable().size(); ++i) {
                const std::string prefix = prefixTable()[i].text;
                if (token.size() > prefix.size() && token.compare(0, prefix.size(), prefix) == 0) {
                    unit = findUnit(token.substr(prefix.size()));
                    factor = prefixTable()[i].factor;
                }
            }
            if (unit == nullptr)
                throw UnitAlgebra::InvalidUnitType(token.empty() ? units : token);
            if (sign > 0)
                multiplier *= factor;
            else
                multiplier /= factor;
            for (const auto& [base, exponent] : unit->base) {
                int& e = exponents_[base];
                e += sign * exponent;
                if (e == 0)
                    exponents_.erase(base);
            }
        }
    }
}

Units& Units::operator*=(const Units& v) {
    for (const auto& [base, exponent] : v.exponents_) {
        int& e = exponents_[base];
        e += exponent;
        if (e == 0)
            exponents_.erase(base);
    }
    return *this;
}

Units& Units::operator/=(const Units& v) {
    Units inverse = v;
    return *this *= inverse.invert();
}

Units& Units::invert() {
    for (auto& entry : exponents_)
        entry.second = -entry.second;
    return *this;
}

std::string Units::toString() const {
    if (exponents_.size() == 1 && exponents_.begin()->first == "s" && exponents_.begin()->second == -1)
        return "Hz";
    std::string numerator;
    std::string denominator;
    for (const auto& [base, exponent] : exponents_) {
        std::string& side = exponent > 0 ? numerator : denominator;
        for (int i = 0; i < (exponent > 0 ? exponent : -exponent); ++i)
            side += (side.empty() ? "" : "-") + base;
    }
    if (denominator.empty())
        return numerator;
    return (numerator.empty() ? "1" : numerator) + "/" + denominator;
}

UnitAlgebra::InvalidUnitType::InvalidUnitType(const std::string& type)
    : UnitAlgebraException("invalid unit '" + type +
                           "' (known: s, Hz, B, b, Bps, bps, events with SI or binary prefixes)") {}

UnitAlgebra::InvalidNumberString::InvalidNumberString(const std::string& number)
    : UnitAlgebraException("'" + number + "' does not start with a number") {}

UnitAlgebra::NonMatchingUnits::NonMatchingUnits(const std::string& lhs, const std::string& rhs,
                                                const std::string& operation)
    : UnitAlgebraException("cannot " + operation + " values with different units: " + lhs + " and " + rhs) {}

UnitAlgebra::UnitAlgebra(const std::string& val) { init(val); }

UnitAlgebra& UnitAlgebra::operator=(const std::string& v) {
    init(v);
    return *this;
}

void UnitAlgebra::init(const std::string& val) {
    const std::string text = trim(val);
    size_t i = 0;
    const bool negative = i < text.size() && text[i] == '-';
    if (negative || (i < text.size() && text[i] == '+'))
        ++i;

    Rational::int_t mantissa = 0;
    int decimals = 0;
    bool digits = false;
    bool fraction = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !fraction) {
            fraction = true;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c)))
            break;
        digits = true;
        if (__builtin_mul_overflow(mantissa, 10, &mantissa))
            throw InvalidNumberString(val);
        mantissa += c - '0';
        decimals += fraction;
    }
    if (!digits)
        throw InvalidNumberString(val);

    // An exponent only when digits follow the 'e' ("2e3Hz"), so units like "events" still parse.
    int exponent = 0;
    if (i + 1 < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        size_t j = i + 1;
        bool negative_exponent = text[j] == '-';
        if (text[j] == '-' || text[j] == '+')
            ++j;
        if (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
            for (; j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])); ++j) {
                exponent = exponent * 10 + (text[j] - '0');
                if (exponent > 60)
                    throw InvalidNumberString(val);
            }
            if (negative_exponent)
                exponent = -exponent;
            i = j;
        }
    }

    Rational value(negative ? -mantissa : mantissa);
    decimals -= exponent;
    Rational::int_t scale = 1;
    for (int k = 0; k < (decimals < 0 ? -decimals : decimals); ++k)
        if (__builtin_mul_overflow(scale, 10, &scale))
            throw InvalidNumberString(val);
    value = decimals >= 0 ? value / Rational(scale) : value * Rational(scale);

    unit_ = Units(trim(text.substr(i)), value);
    value_ = value;
}

void UnitAlgebra::print(std::ostream& stream, int32_t precision) const { stream << toString(precision); }

void UnitAlgebra::printWithBestSI(std::ostream& stream, int32_t precision) const {
    stream << toStringBestSI(precision);
}

// As SST writes it: value, a space, units (so a unitless value ends with the space).
std::string UnitAlgebra::toString(int32_t precision) const {
    return value_.toString(precision) + " " + unit_.toString();
}

std::string UnitAlgebra::toStringBestSI(int32_t precision) const {
    const std::string units = unit_.toString();
    if (units.empty() || value_.isZero())
        return toString(precision);
    static const char* const prefixes[] = {"a", "f", "p", "n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    const Rational magnitude = value_ < Rational(0) ? Rational(0) - value_ : value_;
    int index = 6;  // no prefix
    Rational scaled = magnitude;
    while (index > 0 && scaled < Rational(1)) {
        scaled *= Rational(1000);
        --index;
    }
    while (index < 12 && scaled >= Rational(1000)) {
        scaled /= Rational(1000);
        ++index;
    }
    Rational shown = value_;
    for (int k = index; k < 6; ++k)
        shown *= Rational(1000);
    for (int k = 6; k < index; ++k)
        shown /= Rational(1000);
    return shown.toString(precision) + " " + prefixes[index] + units;
}

void UnitAlgebra::requireSameUnits(const UnitAlgebra& v, const char* operation) const {
    if (unit_ != v.unit_)
        throw NonMatchingUnits(toString(), v.toString(), operation);
}

UnitAlgebra& UnitAlgebra::operator*=(const UnitAlgebra& v) {
    value_ *= v.value_;
    unit_ *= v.unit_;
    return *this;
}

UnitAlgebra& UnitAlgebra::operator/=(const UnitAlgebra& v) {
    value_ /= v.value_;
    unit_ /= v.unit_;
    return *this;
}

UnitAlgebra& UnitAlgebra::operator+=(const UnitAlgebra& v) {
    requireSameUnits(v, "add");
    value_ += v.value_;
    return *this;
}

UnitAlgebra& UnitAlgebra::operator-=(const UnitAlgebra& v) {
    requireSameUnits(v, "subtract");
    value_ -= v.value_;
    return *this;
}

bool UnitAlgebra::operator>(const UnitAlgebra& v) const {
    requireSameUnits(v, "compare");
    return value_ > v.value_;
}

bool UnitAlgebra::operator>=(const UnitAlgebra& v) const {
    requireSameUnits(v, "compare");
    return value_ >= v.value_;
}

bool UnitAlgebra::operator<(const UnitAlgebra& v) const {
    requireSameUnits(v, "compare");
    return value_ < v.value_;
}

bool UnitAlgebra::operator<=(const UnitAlgebra& v) const {
    requireSameUnits(v, "compare");
    return value_ <= v.value_;
}

bool UnitAlgebra::operator==(const UnitAlgebra& v) const { return unit_ == v.unit_ && value_ == v.value_; }

bool UnitAlgebra::operator!=(const UnitAlgebra& v) const { return !(*this == v); }

UnitAlgebra& UnitAlgebra::invert() {
    value_ = value_.inverse();
    unit_.invert();
    return *this;
}

bool UnitAlgebra::hasUnits(const std::string& u) const {
    Rational ignored(1);
    return Units(u, ignored) == unit_;
}

std::ostream& operator<<(std::ostream& os, const UnitAlgebra& r) { return os << r.toString(); }

}  // namespace SST
