#ifndef SST_CORE_PARAMS_H
#define SST_CORE_PARAMS_H

#include "sst/core/from_string.h"

#include <cstddef>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace SST {

// Key/value strings handed to a component's constructor.  Values stay strings until find<T>()
// converts them; a value that does not convert throws std::invalid_argument (ConversionError,
// which also says which key and value were at fault).
class Params {
public:
    using key_type = std::string;
    using KeySet_t = std::set<key_type>;

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

    size_t size() const { return data_.size(); }
    bool empty() const { return data_.empty(); }
    void clear() { data_.clear(); }
    size_t count(const key_type& k) const { return data_.count(k); }
    bool contains(const key_type& k) const { return data_.count(k) != 0; }

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

    // Appends the elements of "[a, b, c]" (or the single value when not bracketed) to vec.
    // Quotes around elements, as Python's str() of a list of strings leaves them, are removed.
    template <class T>
    void find_array(const key_type& k, std::vector<T>& vec) const {
        auto it = data_.find(k);
        if (it == data_.end())
            return;
        for (const std::string& element : splitList(it->second, '[', ']'))
            vec.push_back(convert<T>(k, element));
    }

    // Like find_array for "{a, b}" (or Python's "set([a, b])").
    template <class T>
    void find_set(const key_type& k, std::set<T>& set) const {
        auto it = data_.find(k);
        if (it == data_.end())
            return;
        for (const std::string& element : splitList(it->second, '{', '}'))
            set.insert(convert<T>(k, element));
    }

    bool is_value_array(const key_type& k) const;

    void insert(const std::string& key, const std::string& value, bool overwrite = true);
    void insert(const Params& params, bool overwrite = true);

    std::set<std::string> getKeys() const;
    // Keys "scope.x" become "x" in the result; keys outside the scope are left out.
    Params get_scoped_params(const std::string& scope) const;

    void print_all_params(std::ostream& os, const std::string& prefix = "") const;
    std::string toString(const std::string& prefix = "") const;

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
        auto it = data_.find(k);
        found = it != data_.end();
        if (!found)
            return default_value;
        return convert<T>(k, it->second);
    }

    template <class T>
    T findWithStringDefault(const std::string& k, const std::string& default_value, bool& found) const {
        auto it = data_.find(k);
        found = it != data_.end();
        return convert<T>(k, found ? it->second : default_value);
    }

    static std::vector<std::string> splitList(const std::string& value, char open, char close);

    std::map<std::string, std::string> data_;
};

}  // namespace SST

#endif
