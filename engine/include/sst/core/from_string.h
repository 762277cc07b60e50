#ifndef SST_CORE_FROM_STRING_H
#define SST_CORE_FROM_STRING_H

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace SST::Core {

namespace detail {
// Each parser consumes the whole (whitespace-trimmed) string or throws std::invalid_argument:
// "12abc" or an out-of-range value is an error, not a silent truncation.
int64_t parseSigned(const std::string& input, int64_t min, int64_t max);
uint64_t parseUnsigned(const std::string& input, uint64_t max);  // decimal or 0x hex; no sign
bool parseBool(const std::string& input);                        // true/false/yes/no/on/off/1/0/t/f/y/n
long double parseFloating(const std::string& input);
}  // namespace detail

template <class T>
T from_string(const std::string& input) {
    if constexpr (std::is_same_v<T, bool>) {
        return detail::parseBool(input);
    } else if constexpr (std::is_enum_v<T>) {
        return static_cast<T>(from_string<std::underlying_type_t<T>>(input));
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        return static_cast<T>(detail::parseSigned(input, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
    } else if constexpr (std::is_integral_v<T>) {
        return static_cast<T>(detail::parseUnsigned(input, std::numeric_limits<T>::max()));
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(detail::parseFloating(input));
    } else {
        static_assert(std::is_constructible_v<T, std::string>,
                      "from_string: the type must be arithmetic, an enum, or constructible from std::string");
        return T(input);
    }
}

}  // namespace SST::Core

#endif
