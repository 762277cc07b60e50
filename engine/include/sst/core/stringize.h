#ifndef SST_CORE_STRINGIZE_H
#define SST_CORE_STRINGIZE_H

// SST's small string helpers that elements use.

#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <strings.h>
#include <vector>

namespace SST {

// True when the strings are equal ignoring case (note: the opposite sense of ::strcasecmp).
inline bool strcasecmp(const std::string& s1, const std::string& s2) {
    return ::strcasecmp(s1.c_str(), s2.c_str()) == 0;
}

inline void to_lower(std::string& s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

inline void trim(std::string& s) {
    const char* space = " \t\n\r\v\f";
    const size_t first = s.find_first_not_of(space);
    if (first == std::string::npos) {
        s.clear();
        return;
    }
    s = s.substr(first, s.find_last_not_of(space) - first + 1);
}

// Appends the pieces of input between occurrences of delim to output.
inline void tokenize(std::vector<std::string>& output, const std::string& input, const std::string& delim,
                     bool trim_ws = false) {
    size_t start = 0;
    for (;;) {
        const size_t end = delim.empty() ? std::string::npos : input.find(delim, start);
        std::string token = input.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (trim_ws)
            trim(token);
        output.push_back(token);
        if (end == std::string::npos)
            return;
        start = end + delim.size();
    }
}

// printf into a string, truncated to max_length - 1 characters.
inline std::string vformat_string(size_t max_length, const char* format, va_list args)
    __attribute__((format(printf, 2, 0)));
inline std::string vformat_string(size_t max_length, const char* format, va_list args) {
    if (max_length == 0)
        return "";
    std::vector<char> buffer(max_length);
    std::vsnprintf(buffer.data(), max_length, format, args);
    return buffer.data();
}

// printf into a string of whatever length it needs.
inline std::string vformat_string(const char* format, va_list args) __attribute__((format(printf, 1, 0)));
inline std::string vformat_string(const char* format, va_list args) {
    va_list again;
    va_copy(again, args);
    const int length = std::vsnprintf(nullptr, 0, format, again);
    va_end(again);
    if (length <= 0)
        return "";
    std::string text(static_cast<size_t>(length) + 1, '\0');
    std::vsnprintf(text.data(), text.size(), format, args);
    text.resize(static_cast<size_t>(length));
    return text;
}

inline std::string format_string(size_t max_length, const char* format, ...) __attribute__((format(printf, 2, 3)));
inline std::string format_string(size_t max_length, const char* format, ...) {
    va_list args;
    va_start(args, format);
    std::string text = vformat_string(max_length, format, args);
    va_end(args);
    return text;
}

inline std::string format_string(const char* format, ...) __attribute__((format(printf, 1, 2)));
inline std::string format_string(const char* format, ...) {
    va_list args;
    va_start(args, format);
    std::string text = vformat_string(format, args);
    va_end(args);
    return text;
}

}  // namespace SST

#endif
