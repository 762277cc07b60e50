#include "sst/core/params.h"

#include <sstream>

namespace SST {

Params::ConversionError::ConversionError(const std::string& key, const std::string& value, const std::string& reason)
    : std::invalid_argument("Params::find(): no conversion for value: key = " + key + ", value = " + value + ": " +
                            reason),
      key_(key), value_(value), reason_(reason) {}

namespace {

std::string trim(const std::string& s) {
    const size_t begin = s.find_first_not_of(" \t\n\r");
    if (begin == std::string::npos)
        return std::string();
    const size_t end = s.find_last_not_of(" \t\n\r");
    return s.substr(begin, end - begin + 1);
}

// 'abc' or "abc" -> abc, as Python's str() of a list of strings quotes its elements.
std::string unquote(const std::string& s) {
    if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front())
        return s.substr(1, s.size() - 2);
    return s;
}

}  // namespace

std::vector<std::string> Params::splitList(const std::string& value, char open, char close) {
    std::string body = trim(value);
    if (body.rfind("set(", 0) == 0 && body.back() == ')') {
        // Python's set([...]) and the empty set()
        body = trim(body.substr(4, body.size() - 5));
        if (body.empty())
            return {};
        open = '[';
        close = ']';
    }
    if (body.size() < 2 || body.front() != open || body.back() != close)
        return {body};
    body = body.substr(1, body.size() - 2);

    std::vector<std::string> elements;
    std::string current;
    char quote = 0;
    for (char c : body) {
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == ',') {
            elements.push_back(unquote(trim(current)));
            current.clear();
            continue;
        }
        current += c;
    }
    if (!trim(current).empty() || !elements.empty())
        elements.push_back(unquote(trim(current)));
    return elements;
}

bool Params::is_value_array(const key_type& k) const {
    auto it = data_.find(k);
    if (it == data_.end())
        return false;
    const std::string value = trim(it->second);
    return !value.empty() && value.front() == '[' && value.back() == ']';
}

void Params::insert(const std::string& key, const std::string& value, bool overwrite) {
    if (overwrite)
        data_[key] = value;
    else
        data_.emplace(key, value);
}

void Params::insert(const Params& params, bool overwrite) {
    for (const auto& [key, value] : params.data_)
        insert(key, value, overwrite);
}

std::set<std::string> Params::getKeys() const {
    std::set<std::string> keys;
    for (const auto& entry : data_)
        keys.insert(entry.first);
    return keys;
}

Params Params::get_scoped_params(const std::string& scope) const {
    Params scoped;
    std::string prefix = scope + ".";
    for (const auto& [key, value] : data_)
        if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0)
            scoped.data_.emplace(key.substr(prefix.size()), value);
    return scoped;
}

void Params::print_all_params(std::ostream& os, const std::string& prefix) const {
    for (const auto& [key, value] : data_)
        os << prefix << "key=" << key << ", value=" << value << "\n";
}

std::string Params::toString(const std::string& prefix) const {
    std::ostringstream os;
    print_all_params(os, prefix);
    return os.str();
}

}  // namespace SST
