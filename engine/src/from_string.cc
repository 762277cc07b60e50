#include "sst/core/from_string.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace SST::Core::detail {

namespace {

std::string trimmed(const std::string& input) {
    size_t begin = 0;
    size_t end = input.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(input[begin])))
        ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(input[end - 1])))
        --end;
    return input.substr(begin, end - begin);
}

// Digits only, no sign: "0x" / "0X" selects hex, anything else is decimal.  Leading zeros do not
// mean octal (unlike strtol base 0), since "010" in a config means ten.
uint64_t parseMagnitude(const std::string& digits, const std::string& original) {
    int base = 10;
    size_t start = 0;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        start = 2;
    }
    if (start >= digits.size())
        throw std::invalid_argument("'" + original + "' is not an integer");
    uint64_t value = 0;
    for (size_t i = start; i < digits.size(); ++i) {
        const char c = digits[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c)))
            d = std::tolower(c) - 'a' + 10;
        else
            throw std::invalid_argument("'" + original + "' is not an integer");
        if (value > (UINT64_MAX - d) / base)
            throw std::invalid_argument("'" + original + "' is out of range");
        value = value * base + d;
    }
    return value;
}

}  // namespace

int64_t parseSigned(const std::string& input, int64_t min, int64_t max) {
    const std::string text = trimmed(input);
    const bool negative = !text.empty() && text[0] == '-';
    const bool signed_ = !text.empty() && (text[0] == '-' || text[0] == '+');
    const uint64_t magnitude = parseMagnitude(signed_ ? text.substr(1) : text, input);
    if (negative) {
        if (magnitude > uint64_t(-(min + 1)) + 1)
            throw std::invalid_argument("'" + input + "' is out of range");
        return magnitude == 0 ? 0 : -int64_t(magnitude - 1) - 1;
    }
    if (magnitude > uint64_t(max))
        throw std::invalid_argument("'" + input + "' is out of range");
    return int64_t(magnitude);
}

uint64_t parseUnsigned(const std::string& input, uint64_t max) {
    std::string text = trimmed(input);
    if (!text.empty() && text[0] == '-')
        throw std::invalid_argument("'" + input + "' is negative but the parameter is unsigned");
    if (!text.empty() && text[0] == '+')
        text.erase(0, 1);
    const uint64_t value = parseMagnitude(text, input);
    if (value > max)
        throw std::invalid_argument("'" + input + "' is out of range");
    return value;
}

bool parseBool(const std::string& input) {
    std::string text = trimmed(input);
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text == "true" || text == "t" || text == "yes" || text == "y" || text == "on" || text == "1")
        return true;
    if (text == "false" || text == "f" || text == "no" || text == "n" || text == "off" || text == "0")
        return false;
    throw std::invalid_argument("'" + input + "' is not a boolean (true/false, yes/no, on/off, 1/0)");
}

long double parseFloating(const std::string& input) {
    const std::string text = trimmed(input);
    if (text.empty())
        throw std::invalid_argument("'" + input + "' is not a number");
    char* end = nullptr;
    errno = 0;
    const long double value = std::strtold(text.c_str(), &end);
    if (end != text.c_str() + text.size())
        throw std::invalid_argument("'" + input + "' is not a number");
    if (errno == ERANGE)
        throw std::invalid_argument("'" + input + "' is out of range");
    return value;
}

}  // namespace SST::Core::detail
