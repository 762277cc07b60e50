#include "sst/core/params.h"

#include "sst/core/output.h"

#include <cctype>
#include <sstream>

namespace SST {

Params::ConversionError::ConversionError(const std::string& key, const std::string& value, const std::string& reason)
    : std::invalid_argument("Params::find(): no conversion for value: key = " + key + ", value = " + value + ": " +
                            reason),
      key_(key), value_(value), reason_(reason) {}

const std::string* Params::lookup(const std::string& k) const {
    if (auto it = data_.find(k); it != data_.end())
        return &it->second;
    for (const auto& set : shared_)
        if (auto it = set->values.find(k); it != set->values.end())
            return &it->second;
    return nullptr;
}

std::vector<std::string> Params::splitOutsideQuotes(const std::string& text, char delim) {
    std::vector<std::string> items;
    std::string current;
    bool in_item = false;
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!in_item) {
            if (std::isspace(static_cast<unsigned char>(c)))
                continue;
            in_item = true;
        }
        if (quote) {
            current += c;
            if (c == '\\' && i + 1 < text.size())
                current += text[++i];  // an escaped character never ends the quote
            else if (c == quote)
                quote = 0;
        } else if (c == delim) {
            items.push_back(current);
            current.clear();
            in_item = false;
        } else {
            if (c == '\'' || c == '"')
                quote = c;
            current += c;
        }
    }
    if (in_item)
        items.push_back(current);
    return items;
}

std::string Params::cleanElement(const std::string& key, std::string element) {
    while (!element.empty() && std::isspace(static_cast<unsigned char>(element.back())))
        element.pop_back();
    if (element.empty() || (element.front() != '\'' && element.front() != '"'))
        return element;
    const char quote = element.front();
    if (element.size() < 2 || element.back() != quote)
        throw ConversionError(key, element, "an element that starts with a quote must end with the same quote");
    element = element.substr(1, element.size() - 2);
    // Python's repr() escapes the enclosing quote character inside; only that escape is undone.
    for (size_t i = 0; i + 1 < element.size(); ++i)
        if (element[i] == '\\' && element[i + 1] == quote)
            element.erase(i, 1);
    return element;
}

std::vector<std::string> Params::listElements(const std::string& key, const std::string& body) {
    std::vector<std::string> elements = splitOutsideQuotes(body, ',');
    for (std::string& element : elements)
        element = cleanElement(key, element);
    return elements;
}

std::vector<std::pair<std::string, std::string>> Params::mapElements(const std::string& key, const std::string& body) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const std::string& item : splitOutsideQuotes(body, ',')) {
        const std::vector<std::string> kv = splitOutsideQuotes(item, ':');
        if (kv.size() != 2)
            throw ConversionError(key, item, "a map item is written key: value");
        pairs.emplace_back(cleanElement(key, kv[0]), cleanElement(key, kv[1]));
    }
    return pairs;
}

bool Params::is_value_array(const key_type& k) const {
    // SST's test, kept as loose as it is: both brackets appear somewhere in the value.
    const std::string* value = lookup(k);
    return value != nullptr && value->find('[') != std::string::npos && value->find(']') != std::string::npos;
}

void Params::insert(const std::string& key, const std::string& value, bool overwrite) {
    if (overwrite)
        data_[key] = value;
    else
        data_.emplace(key, value);
}

void Params::insert(const Params& params) { insert(params, false); }

void Params::insert(const Params& params, bool overwrite) {
    for (const auto& [key, value] : params.data_)
        insert(key, value, overwrite);
    for (const auto& set : params.shared_)
        addSharedParamSet(set);
}

void Params::addSharedParamSet(const std::shared_ptr<const SharedSet>& set) {
    for (const auto& existing : shared_)
        if (existing == set)
            return;
    shared_.push_back(set);
}

std::vector<std::string> Params::getSubscribedSharedParamSets() const {
    std::vector<std::string> names;
    for (const auto& set : shared_)
        names.push_back(set->name);
    return names;
}

std::set<std::string> Params::getKeys() const {
    std::set<std::string> keys;
    for (const auto& entry : data_)
        keys.insert(entry.first);
    for (const auto& set : shared_)
        for (const auto& entry : set->values)
            keys.insert(entry.first);
    return keys;
}

Params Params::get_scoped_params(const std::string& scope) const {
    Params scoped;
    const std::string prefix = scope + ".";
    auto take = [&](const std::map<std::string, std::string>& values) {
        for (const auto& [key, value] : values)
            if (key.compare(0, prefix.size(), prefix) == 0)
                scoped.data_.emplace(key.substr(prefix.size()), value);  // the first source found wins
    };
    take(data_);
    for (const auto& set : shared_)
        take(set->values);
    scoped.allowed_keys_ = allowed_keys_;
    scoped.verify_enabled_ = verify_enabled_;
    return scoped;
}

namespace {

// Calls line(heading, key, value) for each line of SST's listing; heading lines have an empty key.
template <class Line>
void listParams(const std::map<std::string, std::string>& local,
                const std::vector<std::shared_ptr<const Params::SharedSet>>& shared, Line line) {
    if (!local.empty())
        line("Local params:", "", "");
    for (const auto& [key, value] : local)
        line("", key, value);
    if (!shared.empty())
        line("Shared params:", "", "");
    for (const auto& set : shared) {
        line("", "<set_name>", set->name);
        for (const auto& [key, value] : set->values)
            line("", key, value);
    }
}

}  // namespace

void Params::print_all_params(std::ostream& os, const std::string& prefix) const {
    listParams(data_, shared_, [&](const std::string& heading, const std::string& key, const std::string& value) {
        if (!heading.empty())
            os << heading << "\n";
        else
            os << "  " << prefix << "key=" << key << ", value=" << value << "\n";
    });
}

void Params::print_all_params(Output& out, const std::string& prefix) const {
    listParams(data_, shared_, [&](const std::string& heading, const std::string& key, const std::string& value) {
        if (!heading.empty())
            out.output("%s%s\n", prefix.c_str(), heading.c_str());
        else
            out.output("%s  %s = %s\n", prefix.c_str(), key.c_str(), value.c_str());
    });
}

std::string Params::toString(const std::string& prefix) const {
    std::ostringstream os;
    print_all_params(os, prefix);
    return os.str();
}

}  // namespace SST
