#ifndef SST_CORE_PARAMS_H
#define SST_CORE_PARAMS_H

#include "sst/core/from_string.h"

#include <cstddef>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace SST {

class Output;

// Key/value strings handed to a component's constructor.  Values stay strings until find<T>()
// converts them; a value that does not convert throws std::invalid_argument (ConversionError,
// which also says which key and value were at fault).
class Params {
public:
    using key_type = std::string;
    using KeySet_t = std::set<key_type>;

    // A named set of parameters that several components subscribe to (sst.addSharedParams /
    // Component.addSharedParamSet).  Subscribers hold the set itself rather than a copy, so a value
    // the config adds to the set after subscribing is still seen, as in SST.
    struct SharedSet {
        std::string name;
        std::map<std::string, std::string> values;
    };

    class ConversionError : public std::invalid_argument {
    public:
        ConversionError(const std::string& key, const std::string& value, const std::string& reason);
        const std::string& key() const { return key_; }
        const std::string& value() const { return value_; }
        const std::string& reason() const { return reason_; }

    private:
        std::string key_;
        std::string value_;
        std::string reason_;
    };

    Params() = default;
    Params(const Params&) = default;
    Params& operator=(const Params&) = default;

    // Local and shared keys together, each counted once.
    size_t size() const { return getKeys().size(); }
    bool empty() const { return getKeys().empty(); }
    void clear() {
        data_.clear();
        shared_.clear();
    }
    size_t count(const key_type& k) const { return lookup(k) ? 1 : 0; }
    bool contains(const key_type& k) const { return lookup(k) != nullptr; }

    // The overload set mirrors SST's so the same calls resolve the same way.  A default may be
    // given as a T or as a string, e.g. find<UnitAlgebra>("size", "4KiB").
    template <class T>
    std::enable_if_t<!std::is_same_v<std::string, T>, T> find(const std::string& k, T default_value,
                                                              bool& found) const {
        return findWithDefault<T>(k, default_value, found);
    }

    template <class T>
    T find(const std::string& k, const std::string& default_value, bool& found) const {
        return findWithStringDefault<T>(k, default_value, found);
    }

    template <class T>
    std::enable_if_t<std::is_same_v<bool, T>, T> find(const std::string& k, const char* default_value,
                                                      bool& found) const {
        if (default_value == nullptr)
            return findWithDefault<T>(k, false, found);
        return findWithStringDefault<T>(k, std::string(default_value), found);
    }

    template <class T>
    T find(const std::string& k, T default_value) const {
        bool found;
        return findWithDefault<T>(k, default_value, found);
    }

    template <class T>
    T find(const std::string& k, const std::string& default_value) const {
        bool found;
        return findWithStringDefault<T>(k, default_value, found);
    }

    template <class T>
    std::enable_if_t<std::is_same_v<bool, T>, T> find(const std::string& k, const char* default_value) const {
        bool found;
        return find<T>(k, default_value, found);
    }

    template <class T>
    T find(const std::string& k) const {
        bool found;
        return findWithDefault<T>(k, T(), found);
    }

    template <class T>
    std::enable_if_t<!std::is_same_v<bool, T>, T> find(const std::string& k, bool& found) const {
        return findWithDefault<T>(k, T(), found);
    }

    // Appends the elements of "[a, b, c]" to vec; a value without the brackets is one element.
    // Elements are separated at commas outside quotes; quotes around an element (Python's str()
    // of a list quotes strings) are removed, as is the backslash of an escaped quote inside.
    template <class T>
    void find_array(const key_type& k, std::vector<T>& vec) const {
        const std::string* value = lookup(k);
        if (value == nullptr)
            return;
        if (!enclosedIn(*value, '[', ']')) {
            vec.push_back(convert<T>(k, *value));
            return;
        }
        for (const std::string& element : listElements(k, value->substr(1, value->size() - 2)))
            vec.push_back(convert<T>(k, element));
    }

    // As find_array for "{a, b}" (Python 3's str() of a set) or "set([a, b])" (Python 2's).
    // Like SST, Python's empty set, "set()", is taken as the one element "set()".
    template <class T>
    void find_set(const key_type& k, std::set<T>& set) const {
        const std::string* value = lookup(k);
        if (value == nullptr)
            return;
        std::string body = *value;
        if (body.rfind("set([", 0) == 0 && body.size() >= 7)
            body = "{" + body.substr(5, body.size() - 7) + "}";
        if (!enclosedIn(body, '{', '}')) {
            set.insert(convert<T>(k, body));
            return;
        }
        for (const std::string& element : listElements(k, body.substr(1, body.size() - 2)))
            set.insert(convert<T>(k, element));
    }

    // Fills map from "{k1: v1, k2: v2}" (Python's str() of a dict).  A value not in braces, or an
    // item without exactly one ':' outside quotes, throws std::invalid_argument.
    template <class keyT, class valT>
    void find_map(const key_type& k, std::map<keyT, valT>& map) const {
        const std::string* value = lookup(k);
        if (value == nullptr)
            return;
        if (!enclosedIn(*value, '{', '}'))
            throw ConversionError(k, *value, "a map is written {key: value, ...}");
        for (const auto& [key, val] : mapElements(k, value->substr(1, value->size() - 2)))
            map[convert<keyT>(k, key)] = convert<valT>(k, val);
    }

    bool is_value_array(const key_type& k) const;

    void insert(const std::string& key, const std::string& value, bool overwrite = true);
    // As in SST: params' local values are added where this object has none of its own, and its
    // shared sets are subscribed to.  The second form lets params' local values win instead.
    void insert(const Params& params);
    void insert(const Params& params, bool overwrite);

    std::set<std::string> getKeys() const;
    // Keys "scope.x", local or shared, become local keys "x" in the result (a local value wins
    // over a shared one); keys outside the scope are left out.
    Params get_scoped_params(const std::string& scope) const;

    // SST's two listings: to an Output, "Local params:" then "  key = value" lines, then "Shared
    // params:" with each set as "  <set_name> = NAME" followed by its values, every line after
    // prefix; to a stream (and toString), the same with "  <prefix>key=K, value=V" lines and the
    // headings unprefixed.
    void print_all_params(std::ostream& os, const std::string& prefix = "") const;
    void print_all_params(Output& out, const std::string& prefix = "") const;
    std::string toString(const std::string& prefix = "") const;

    // SST checks looked-up keys against the element's documented ones only in builds with
    // parameter warnings, which its releases are not; this engine instead rejects undocumented
    // keys when the configuration is loaded.  These keep the calls compiling and do nothing else.
    bool enableVerify(bool enable) {
        const bool old = verify_enabled_;
        verify_enabled_ = enable;
        return old;
    }
    static void enableVerify() {}
    void pushAllowedKeys(const std::vector<std::string>& keys) { allowed_keys_.emplace_back(keys.begin(), keys.end()); }
    void popAllowedKeys() {
        if (!allowed_keys_.empty())
            allowed_keys_.pop_back();
    }

    // Configuration side (SST keeps these from elements): subscribe to a shared set, which is
    // searched after the local values and after sets subscribed earlier.
    void addSharedParamSet(const std::shared_ptr<const SharedSet>& set);
    std::vector<std::string> getSubscribedSharedParamSets() const;

private:
    template <class T>
    static T convert(const std::string& k, const std::string& value) {
        try {
            return SST::Core::from_string<T>(value);
        } catch (const std::exception& e) {
            throw ConversionError(k, value, e.what());
        }
    }

    template <class T>
    T findWithDefault(const std::string& k, const T& default_value, bool& found) const {
        const std::string* value = lookup(k);
        found = value != nullptr;
        if (!found)
            return default_value;
        return convert<T>(k, *value);
    }

    template <class T>
    T findWithStringDefault(const std::string& k, const std::string& default_value, bool& found) const {
        const std::string* value = lookup(k);
        found = value != nullptr;
        return convert<T>(k, found ? *value : default_value);
    }

    // The value of k: the local one, else the first subscribed set's that has it.
    const std::string* lookup(const std::string& k) const;

    static bool enclosedIn(const std::string& value, char open, char close) {
        return value.size() >= 2 && value.front() == open && value.back() == close;
    }
    // Splits at delim outside quotes; items keep their quotes, lose leading whitespace.
    static std::vector<std::string> splitOutsideQuotes(const std::string& text, char delim);
    // Trailing whitespace and enclosing quotes removed, escaped quotes unescaped; key names the
    // parameter in the error for an unmatched quote.
    static std::string cleanElement(const std::string& key, std::string element);
    static std::vector<std::string> listElements(const std::string& key, const std::string& body);
    static std::vector<std::pair<std::string, std::string>> mapElements(const std::string& key,
                                                                        const std::string& body);

    std::map<std::string, std::string> data_;
    std::vector<std::shared_ptr<const SharedSet>> shared_;
    std::vector<KeySet_t> allowed_keys_;
    bool verify_enabled_ = true;
};

}  // namespace SST

#endif
