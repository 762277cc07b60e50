// SST_SER and how each kind of value is serialized.
//
// Every SST_SER goes through pvt::sst_ser_object, which handles pointers (null, pointer tracking)
// and the as_ptr option in one place, then hands the object to serialize_impl<T>.  serialize_impl
// is SST's customization point: an element may specialize it for its own types.  The primary
// template here covers everything else by category (trivial values, strings, containers, tuples,
// aggregates, classes with serialize_order) so that element specializations rarely collide with
// ours.
//
// Byte layout (ours, not SST's): values as their bytes; a size_t count before container
// contents; a pointer as a presence flag (tracking off) or its packing-time address as a tag
// (tracking on, 0 for null) followed by the object the first time the tag appears; a polymorphic
// object as its class id followed by its serialize_order.
#ifndef SST_CORE_SERIALIZATION_SERIALIZE_H
#define SST_CORE_SERIALIZATION_SERIALIZE_H

#include "sst/core/serialization/impl/serialize_utility.h"
#include "sst/core/serialization/serializable_base.h"
#include "sst/core/serialization/serializer.h"
#include "sst/core/warnmacros.h"

#include <array>
#include <atomic>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <forward_list>
#include <iterator>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <stack>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <valarray>
#include <variant>
#include <vector>

// Lets a serialize_impl specialization keep its operator() private.
#define SST_FRIEND_SERIALIZE() \
    template <class SER>       \
    friend class pvt::serialize

namespace SST {
class Link;
class Output;
namespace Statistics {
template <class T>
class Statistic;
}  // namespace Statistics
}  // namespace SST

namespace SST::Core::Serialization {

template <typename T, typename = void>
class serialize_impl;

namespace pvt {

// The engine's own objects that a component holds and names in its serialize_order (its links,
// statistics and Output): SST writes them into a checkpoint.  This engine writes none, so their
// serialization compiles, and ends the run with the reason should anything ever reach it.
template <class T>
constexpr bool is_checkpoint_only_v = false;
template <>
constexpr bool is_checkpoint_only_v<SST::Link> = true;
template <>
constexpr bool is_checkpoint_only_v<SST::Output> = true;
template <class T>
constexpr bool is_checkpoint_only_v<SST::Statistics::Statistic<T>> = true;

template <class T>
class serialize;

template <class T>
void sst_ser_object(serializer& ser, T&& obj, ser_opt_t options, const char* name);

template <typename... Args>
constexpr ser_opt_t sst_ser_or_helper(Args... args) {
    return (ser_opt_t(SerOption::none) | ... | ser_opt_t(args));
}

// Elements of a container get as_ptr when the container was given as_ptr_elem.
constexpr ser_opt_t element_options(ser_opt_t options) {
    return SerOption::is_set(options, SerOption::as_ptr_elem) ? ser_opt_t(SerOption::as_ptr) : ser_opt_t(0);
}

// Serializes one value without a name (containers, tuples, wrappers).
template <class T>
void ser_value(serializer& ser, T& value, ser_opt_t options = 0) {
    sst_ser_object(ser, value, options, nullptr);
}

// A fresh object of type T for unpacking into; bounded arrays are allocated as new E[N] (as
// SST does) so delete[] on the result is valid.
template <class T>
T* new_object() {
    if constexpr (std::is_bounded_array_v<T>)
        return reinterpret_cast<T*>(new std::remove_all_extents_t<T>[sizeof(T) / sizeof(std::remove_all_extents_t<T>)]);
    else
        return new T();
}

template <class T>
constexpr bool is_function_pointer_v = std::is_pointer_v<T>&& std::is_function_v<std::remove_pointer_t<T>>;

// Trivially copyable leaves, packed as bytes; function pointers are addresses, meaningful only in
// this process (SST does the same for the ones it serializes, e.g. in handlers).
template <class T>
constexpr bool packs_as_bytes_v = is_trivially_serializable_v<T> || is_function_pointer_v<T>;

// Reaches the container inside a std::queue / stack / priority_queue (its protected member c).
template <class Adapter>
struct adapter_access : Adapter {
    static auto& container(Adapter& a) { return a.*(&adapter_access::c); }
};

template <class T>
constexpr bool is_std_array_v = false;
template <class T, size_t N>
constexpr bool is_std_array_v<std::array<T, N>> = true;

template <class T>
constexpr bool is_pair_or_tuple_v = is_same_type_template_v<T, std::pair> || is_same_type_template_v<T, std::tuple>;

// Containers rebuilt in order with resize() and filled in place (so as_ptr elements keep their
// final addresses).
template <class T>
constexpr bool is_sequence_v = (is_same_type_template_v<T, std::vector> && !std::is_same_v<T, std::vector<bool>>) ||
                               is_same_type_template_v<T, std::deque> || is_same_type_template_v<T, std::list> ||
                               is_same_type_template_v<T, std::forward_list>;

// Containers rebuilt by inserting each unpacked element.
template <class T>
constexpr bool is_associative_v =
    is_same_type_template_v<T, std::set> || is_same_type_template_v<T, std::multiset> ||
    is_same_type_template_v<T, std::map> || is_same_type_template_v<T, std::multimap> ||
    is_same_type_template_v<T, std::unordered_set> || is_same_type_template_v<T, std::unordered_multiset> ||
    is_same_type_template_v<T, std::unordered_map> || is_same_type_template_v<T, std::unordered_multimap>;

template <class T>
constexpr bool is_adapter_v = is_same_type_template_v<T, std::queue> || is_same_type_template_v<T, std::stack> ||
                              is_same_type_template_v<T, std::priority_queue>;

template <class T>
constexpr bool is_polymorphic_serializable_v = std::is_base_of_v<serializable_base, T>;

// The aggregate's fields, as a tuple of references, for up to 16 fields.
template <size_t N, class T>
auto aggregate_fields(T& t) {
    // clang-format off
    if constexpr (N == 0) { return std::tuple<>(); }
    else if constexpr (N == 1) { auto& [a] = t; return std::tie(a); }
    else if constexpr (N == 2) { auto& [a, b] = t; return std::tie(a, b); }
    else if constexpr (N == 3) { auto& [a, b, c] = t; return std::tie(a, b, c); }
    else if constexpr (N == 4) { auto& [a, b, c, d] = t; return std::tie(a, b, c, d); }
    else if constexpr (N == 5) { auto& [a, b, c, d, e] = t; return std::tie(a, b, c, d, e); }
    else if constexpr (N == 6) { auto& [a, b, c, d, e, f] = t; return std::tie(a, b, c, d, e, f); }
    else if constexpr (N == 7) { auto& [a, b, c, d, e, f, g] = t; return std::tie(a, b, c, d, e, f, g); }
    else if constexpr (N == 8) { auto& [a, b, c, d, e, f, g, h] = t; return std::tie(a, b, c, d, e, f, g, h); }
    else if constexpr (N == 9) { auto& [a, b, c, d, e, f, g, h, i] = t; return std::tie(a, b, c, d, e, f, g, h, i); }
    else if constexpr (N == 10) { auto& [a, b, c, d, e, f, g, h, i, j] = t; return std::tie(a, b, c, d, e, f, g, h, i, j); }
    else if constexpr (N == 11) { auto& [a, b, c, d, e, f, g, h, i, j, k] = t; return std::tie(a, b, c, d, e, f, g, h, i, j, k); }
    else if constexpr (N == 12) { auto& [a, b, c, d, e, f, g, h, i, j, k, l] = t; return std::tie(a, b, c, d, e, f, g, h, i, j, k, l); }
    else if constexpr (N == 13) { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m] = t; return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m); }
    else if constexpr (N == 14) { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n] = t; return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m, n); }
    else if constexpr (N == 15) { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o] = t; return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o); }
    else if constexpr (N == 16) { auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = t; return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p); }
    else static_assert(N == 0, "aggregates of more than 16 fields need a serialize_order()");
    // clang-format on
}

// Polymorphic objects: the class id, then the object's own serialize_order.
void size_serializable(serializable_base* s, serializer& ser);
void pack_serializable(serializable_base* s, serializer& ser);
void unpack_serializable(serializable_base*& s, serializer& ser);

}  // namespace pvt

// How many elements a container holds (forward_list has no size()).
template <class T>
size_t get_size(const T& t) {
    if constexpr (requires { t.size(); })
        return t.size();
    else
        return size_t(std::distance(std::begin(t), std::end(t)));
}

// The default: values by category.  For pointers T = U*, the gateway has already dealt with null
// and tracking; this allocates when unpacking and serializes the pointee.
template <typename T, typename>
class serialize_impl {
public:
    void operator()(T& t, serializer& ser, ser_opt_t options) {
        using namespace pvt;
        if constexpr (is_checkpoint_only_v<std::remove_cv_t<std::remove_pointer_t<T>>>) {
            serialization_error(std::string("a component's ") + typeid(std::remove_pointer_t<T>).name() +
                                " serializes only into a checkpoint, which the qemu-sst engine does not write");
        } else if constexpr (std::is_pointer_v<T> && !is_function_pointer_v<T>) {
            using U = std::remove_pointer_t<T>;
            if constexpr (is_polymorphic_serializable_v<U>) {
                serializable_base* base = t;
                switch (ser.mode()) {
                case serializer::SIZER: size_serializable(base, ser); break;
                case serializer::PACK: pack_serializable(base, ser); break;
                case serializer::UNPACK:
                    unpack_serializable(base, ser);
                    t = dynamic_cast<T>(base);
                    if (!t)
                        serialization_error(std::string("unpacked a ") + base->cls_name() + " where a " +
                                            typeid(U).name() + " was expected");
                    break;
                default: break;
                }
            } else {
                static_assert(!std::is_void_v<U>, "void* cannot be serialized; use SST::Core::Serialization::buffer()");
                if (ser.mode() == serializer::UNPACK) {
                    t = new_object<U>();
                    ser.report_new_pointer(reinterpret_cast<uintptr_t>(t));
                }
                serialize<U>()(*t, ser, options);
            }
        } else if constexpr (packs_as_bytes_v<T>) {
            ser.primitive(t);
        } else if constexpr (std::is_same_v<T, std::string>) {
            ser.string(t);
        } else if constexpr (std::is_array_v<T> || is_std_array_v<T>) {
            using E = std::remove_reference_t<decltype(t[0])>;
            constexpr size_t n = sizeof(T) / sizeof(E);
            if constexpr (packs_as_bytes_v<E>)
                ser.raw(&t[0], sizeof(T));
            else
                for (size_t i = 0; i < n; ++i)
                    ser_value(ser, t[i], element_options(options));
        } else if constexpr (std::is_same_v<T, std::vector<bool>>) {
            size_t n = t.size();
            ser.primitive(n);
            if (ser.mode() == serializer::UNPACK)
                t.assign(n, false);
            for (size_t i = 0; i < n; ++i) {
                bool bit = t[i];
                ser.primitive(bit);
                t[i] = bit;
            }
        } else if constexpr (is_sequence_v<T>) {
            size_t n = get_size(t);
            ser.primitive(n);
            if (ser.mode() == serializer::UNPACK) {
                t.clear();
                t.resize(n);
            }
            for (auto& e : t)
                ser_value(ser, e, element_options(options));
        } else if constexpr (is_associative_v<T>) {
            size_t n = t.size();
            ser.primitive(n);
            if (ser.mode() == serializer::UNPACK) {
                t.clear();
                for (size_t i = 0; i < n; ++i) {
                    // Keys are const inside the container: read into a free element, then insert.
                    using V = typename T::value_type;
                    if constexpr (is_same_type_template_v<V, std::pair>) {
                        // The value is read in place, so as_ptr_elem values keep their addresses.
                        std::remove_const_t<typename V::first_type> key{};
                        ser_value(ser, key);
                        // End hint: equal keys keep their order.
                        auto it = t.emplace_hint(t.end(), std::piecewise_construct,
                                                 std::forward_as_tuple(std::move(key)), std::forward_as_tuple());
                        ser_value(ser, it->second, element_options(options));
                    } else {
                        V e{};
                        ser_value(ser, e);
                        t.insert(t.end(), std::move(e));
                    }
                }
            } else {
                for (auto& e : t) {
                    using E = std::remove_const_t<std::remove_reference_t<decltype(e)>>;
                    if constexpr (is_same_type_template_v<E, std::pair>) {
                        ser_value(ser, e.first);  // const; packing only reads
                        ser_value(ser, e.second, element_options(options));
                    } else {
                        ser_value(ser, const_cast<E&>(e));
                    }
                }
            }
        } else if constexpr (is_adapter_v<T>) {
            ser_value(ser, adapter_access<T>::container(t), options);
        } else if constexpr (is_same_type_template_v<T, std::valarray>) {
            size_t n = t.size();
            ser.primitive(n);
            if (ser.mode() == serializer::UNPACK)
                t.resize(n);
            for (size_t i = 0; i < n; ++i)
                ser_value(ser, t[i]);
        } else if constexpr (is_pair_or_tuple_v<T>) {
            std::apply([&](auto&... e) { (ser_value(ser, e), ...); }, t);
        } else if constexpr (is_same_type_template_v<T, std::optional>) {
            bool present = t.has_value();
            ser.primitive(present);
            if (ser.mode() == serializer::UNPACK) {
                if (!present) {
                    t.reset();
                    return;
                }
                t.emplace();
            }
            if (present)
                ser_value(ser, *t);
        } else if constexpr (is_same_type_template_v<T, std::variant>) {
            size_t index = t.index();
            ser.primitive(index);
            serialize_variant(t, ser, index, std::make_index_sequence<std::variant_size_v<T>>{});
        } else if constexpr (is_same_type_template_v<T, std::atomic>) {
            auto value = t.load();
            ser_value(ser, value);
            if (ser.mode() == serializer::UNPACK)
                t.store(value);
        } else if constexpr (has_serialize_order_v<T>) {
            t.serialize_order(ser);
        } else if constexpr (std::is_aggregate_v<T> && std::is_class_v<T>) {
            // A plain struct: its fields in declaration order.
            std::apply([&](auto&... field) { (ser_value(ser, field), ...); }, aggregate_fields<nfields<T>>(t));
        } else {
            static_assert(sizeof(T) == 0,
                          "no serialization for this type: give it a serialize_order(), derive it from "
                          "serializable, or specialize SST::Core::Serialization::serialize_impl for it");
        }
    }

private:
    template <class V, size_t... I>
    static void serialize_variant(V& v, serializer& ser, size_t index, std::index_sequence<I...>) {
        if (ser.mode() == serializer::UNPACK) {
            if (index >= sizeof...(I))
                pvt::serialization_error("variant alternative " + std::to_string(index) + " out of range");
            ((index == I ? (void)v.template emplace<I>() : void()), ...);
        }
        ((index == I ? pvt::ser_value(ser, std::get<I>(v)) : void()), ...);
    }
};

namespace pvt {

// The gateway for non-pointers: as_ptr registers the object's address so pointers to it written
// later (with tracking on) resolve to the unpacked object.
template <class T>
class serialize {
public:
    void operator()(T& t, serializer& ser, ser_opt_t options) { serialize_impl<T>()(t, ser, options); }

    void serialize_and_track_pointer(T& t, serializer& ser, ser_opt_t options) {
        uintptr_t tag = reinterpret_cast<uintptr_t>(&t);
        switch (ser.mode()) {
        case serializer::SIZER:
        case serializer::PACK:
            ser.seen_pointer(tag);
            ser.primitive(tag);
            break;
        case serializer::UNPACK:
            ser.primitive(tag);
            ser.report_real_pointer(tag, reinterpret_cast<uintptr_t>(&t));
            break;
        default: break;
        }
        serialize_impl<T>()(t, ser, options);
    }
};

// The gateway for pointers: null, and with tracking on, each pointee written once.
template <class T>
class serialize<T*> {
public:
    void operator()(T*& t, serializer& ser, ser_opt_t options) {
        if constexpr (is_function_pointer_v<T*>) {
            ser.primitive(t);
        } else if (!ser.is_pointer_tracking_enabled()) {
            if (ser.mode() == serializer::UNPACK)
                t = nullptr;
            bool present = t != nullptr;
            ser.primitive(present);
            if (present)
                serialize_impl<T*>()(t, ser, options);
        } else {
            uintptr_t tag = reinterpret_cast<uintptr_t>(t);
            switch (ser.mode()) {
            case serializer::SIZER:
            case serializer::PACK:
                ser.primitive(tag);
                if (tag && !ser.seen_pointer(tag))
                    serialize_impl<T*>()(t, ser, options);
                break;
            case serializer::UNPACK:
                ser.primitive(tag);
                if (!tag) {
                    t = nullptr;
                } else if (uintptr_t known = ser.find_unpacked(tag)) {
                    t = reinterpret_cast<T*>(known);
                } else {
                    ser.expect_new_pointer(tag);
                    serialize_impl<T*>()(t, ser, options);
                    ser.report_real_pointer(tag, reinterpret_cast<uintptr_t>(t));
                }
                break;
            default: break;
            }
        }
    }
};

template <class TREF>
void sst_ser_object(serializer& ser, TREF&& obj, ser_opt_t options, const char* UNUSED(name)) {
    // Const only reaches here when packing a container's keys, which packing only reads.
    using T = std::remove_cv_t<std::remove_reference_t<TREF>>;
    T& object = const_cast<T&>(obj);
    if (ser.mode() == serializer::MAP || ser.mode() == serializer::UNSTARTED)
        return;
    if constexpr (!std::is_pointer_v<T>) {
        if (ser.is_pointer_tracking_enabled() && SerOption::is_set(options, SerOption::as_ptr)) {
            serialize<T>().serialize_and_track_pointer(object, ser, options);
            return;
        }
    }
    serialize<T>()(object, ser, options);
}

}  // namespace pvt

template <typename T>
serializer& serializer::operator&(T& t) {
    pvt::sst_ser_object(*this, t, 0, nullptr);
    return *this;
}

// ---- Wrappers: SST_SER(SST::Core::Serialization::array(ptr, size)) and friends describe data a
// plain type cannot (a pointer with a run-time element count, a unique_ptr with a deleter, an
// aliasing shared_ptr).

namespace pvt {

// A pointer to `size` elements; unpacking allocates new ELEM_T[size].
template <class ELEM_T, class SIZE_T>
struct array_wrapper {
    ELEM_T*& ptr;
    SIZE_T& size;
};

// The elements of an array pointer (the gateway for the pointer itself is in the impl below).
template <class E, class SIZE_T>
void serialize_elements(serializer& ser, E*& p, SIZE_T& size) {
    size_t n = size;
    ser.primitive(n);
    if (ser.mode() == serializer::UNPACK) {
        size = SIZE_T(n);
        p = n ? new E[n]() : nullptr;
        ser.report_new_pointer(reinterpret_cast<uintptr_t>(p));
    }
    if constexpr (packs_as_bytes_v<E>)
        ser.raw(p, n * sizeof(E));
    else
        for (size_t i = 0; i < n; ++i)
            ser_value(ser, p[i]);
}

// A pointer to an array of run-time length: presence or tag as for any pointer, then the length
// (always, so a second reference still sets its size), then the elements the first time.
template <class E, class SIZE_T>
void serialize_array_pointer(serializer& ser, E*& p, SIZE_T& size) {
    if (!ser.is_pointer_tracking_enabled()) {
        if (ser.mode() == serializer::UNPACK)
            p = nullptr;
        bool present = p != nullptr;
        ser.primitive(present);
        if (present)
            serialize_elements(ser, p, size);
        else if (ser.mode() == serializer::UNPACK)
            size = 0;
        return;
    }
    uintptr_t tag = reinterpret_cast<uintptr_t>(p);
    ser.primitive(tag);
    size_t n = size;
    if (ser.mode() != serializer::UNPACK) {
        ser.primitive(n);
        if (tag && !ser.seen_pointer(tag))
            serialize_elements(ser, p, size);
        return;
    }
    ser.primitive(n);
    size = SIZE_T(n);
    if (!tag) {
        p = nullptr;
    } else if (uintptr_t known = ser.find_unpacked(tag)) {
        p = reinterpret_cast<E*>(known);
    } else {
        ser.expect_new_pointer(tag);
        serialize_elements(ser, p, size);
        ser.report_real_pointer(tag, reinterpret_cast<uintptr_t>(p));
    }
}

template <class PTR, class DELETER, class SIZE_T = void>
struct unique_ptr_wrapper {
    std::unique_ptr<PTR, DELETER>& ptr;
};
template <class E, class DELETER, class SIZE_T>
struct unique_ptr_wrapper<E[], DELETER, SIZE_T> {
    std::unique_ptr<E[], DELETER>& ptr;
    SIZE_T& size;
};

// A shared_ptr `ptr` that may point inside the object owned by `parent` (aliasing), and for
// unbounded arrays the element count.
template <class PTR, class PARENT, class SIZE_T = void>
struct shared_ptr_wrapper {
    std::shared_ptr<PTR>& ptr;
    std::shared_ptr<PARENT>& parent;
    SIZE_T* size;
};

}  // namespace pvt

template <class ELEM_T, class SIZE_T>
pvt::array_wrapper<ELEM_T, SIZE_T> array(ELEM_T*& ptr, SIZE_T& size) {
    static_assert(std::is_integral_v<SIZE_T>, "the size of an array must be an integer");
    return {ptr, size};
}

template <class SIZE_T>
pvt::array_wrapper<char, SIZE_T> buffer(void*& ptr, SIZE_T& size) {
    return {reinterpret_cast<char*&>(ptr), size};
}

// A pointer serialized as a pointer even where a plainer rule would apply.
template <class T>
T*& raw_ptr(T*& ptr) {
    return ptr;
}

template <class E, class DELETER, class SIZE_T>
std::enable_if_t<std::is_integral_v<SIZE_T>, pvt::unique_ptr_wrapper<E[], DELETER, SIZE_T>>
unique_ptr(std::unique_ptr<E[], DELETER>& ptr, SIZE_T& size) {
    return {ptr, size};
}
// The deleter argument names the deleter the caller's unique_ptr already holds; unpacking keeps it.
template <class PTR, class DELETER, class DEL>
std::enable_if_t<!is_unbounded_array_v<PTR> && std::is_constructible_v<DELETER, DEL&&>,
                 pvt::unique_ptr_wrapper<PTR, DELETER>>
unique_ptr(std::unique_ptr<PTR, DELETER>& ptr, DEL&&) {
    return {ptr};
}
template <class E, class DELETER, class SIZE_T, class DEL>
std::enable_if_t<std::is_integral_v<SIZE_T> && std::is_constructible_v<DELETER, DEL&&>,
                 pvt::unique_ptr_wrapper<E[], DELETER, SIZE_T>>
unique_ptr(std::unique_ptr<E[], DELETER>& ptr, SIZE_T& size, DEL&&) {
    return {ptr, size};
}
template <class PTR, class DELETER>
std::unique_ptr<PTR, DELETER>& unique_ptr(std::unique_ptr<PTR, DELETER>& ptr) {
    return ptr;
}

template <class PTR, class PARENT>
std::enable_if_t<!is_unbounded_array_v<PARENT>, pvt::shared_ptr_wrapper<PTR, PARENT>>
shared_ptr(std::shared_ptr<PTR>& ptr, std::shared_ptr<PARENT>& parent) {
    return {ptr, parent, nullptr};
}
template <class PTR, class SIZE_T>
std::enable_if_t<is_unbounded_array_v<PTR> && std::is_integral_v<SIZE_T>, pvt::shared_ptr_wrapper<PTR, PTR, SIZE_T>>
shared_ptr(std::shared_ptr<PTR>& ptr, SIZE_T& size) {
    return {ptr, ptr, &size};
}
template <class PTR, class PARENT, class SIZE_T>
std::enable_if_t<is_unbounded_array_v<PARENT> && std::is_integral_v<SIZE_T>,
                 pvt::shared_ptr_wrapper<PTR, PARENT, SIZE_T>>
shared_ptr(std::shared_ptr<PTR>& ptr, std::shared_ptr<PARENT>& parent, SIZE_T& size) {
    return {ptr, parent, &size};
}
template <class PTR>
std::shared_ptr<PTR>& shared_ptr(std::shared_ptr<PTR>& ptr) {
    return ptr;
}

template <class ELEM_T, class SIZE_T>
class serialize_impl<pvt::array_wrapper<ELEM_T, SIZE_T>> {
public:
    void operator()(pvt::array_wrapper<ELEM_T, SIZE_T>& w, serializer& ser, ser_opt_t) {
        pvt::serialize_array_pointer(ser, w.ptr, w.size);
    }
};

// unique_ptr: the owned object goes through the pointer gateway (so with tracking on, raw pointers
// to it resolve to the new owner's object); unpacking hands the result to the unique_ptr, keeping
// its deleter.
template <class PTR, class DELETER>
class serialize_impl<std::unique_ptr<PTR, DELETER>> {
public:
    void operator()(std::unique_ptr<PTR, DELETER>& up, serializer& ser, ser_opt_t options) {
        static_assert(!is_unbounded_array_v<PTR>,
                      "a unique_ptr to T[] needs its size: SST_SER(SST::Core::Serialization::unique_ptr(p, size))");
        PTR* p = up.get();
        pvt::serialize<PTR*>()(p, ser, options);
        if (ser.mode() == serializer::UNPACK) {
            up.release();  // the old value (normally null) is not ours to delete
            up.reset(p);
        }
    }
};
template <class PTR, class DELETER, class SIZE_T>
class serialize_impl<pvt::unique_ptr_wrapper<PTR, DELETER, SIZE_T>> {
public:
    void operator()(pvt::unique_ptr_wrapper<PTR, DELETER, SIZE_T>& w, serializer& ser, ser_opt_t options) {
        if constexpr (is_unbounded_array_v<PTR>) {
            auto* p = w.ptr.get();
            pvt::serialize_array_pointer(ser, p, w.size);
            if (ser.mode() == serializer::UNPACK) {
                w.ptr.release();
                w.ptr.reset(p);
            }
        } else {
            serialize_impl<std::unique_ptr<PTR, DELETER>>()(w.ptr, ser, options);
        }
    }
};

// shared_ptr / weak_ptr: written as the owner's number (0 for empty), followed the first time by
// the owned object, then the pointer's offset into it.  Owners are tracked whatever the tracking
// setting, so shared_ptrs that shared an owner share one after unpacking.
namespace pvt {

template <class T>
using shared_element_t = std::remove_extent_t<T>;

// The owned object behind `parent`, first time only: its contents (and count, for T[]).
template <class PARENT, class SIZE_T>
void pack_owner(serializer& ser, const std::shared_ptr<PARENT>& parent, SIZE_T* size, uintptr_t& base, bool& fresh) {
    auto [number, known_base] = ser.shared_owner(parent, reinterpret_cast<uintptr_t>(parent.get()));
    ser.primitive(number);
    base = known_base;
    fresh = number == 0;
    if (!fresh)
        return;
    using E = shared_element_t<PARENT>;
    E* p = reinterpret_cast<E*>(parent.get());
    if constexpr (is_unbounded_array_v<PARENT>) {
        size_t n = *size;
        ser.primitive(n);
        for (size_t i = 0; i < n; ++i)
            ser_value(ser, p[i]);
    } else {
        ser_value(ser, *p);
    }
}

// Unpacking: the owner, reading and building it if it appears for the first time.
template <class PARENT, class SIZE_T>
std::pair<std::shared_ptr<void>, uintptr_t> unpack_owner(serializer& ser, SIZE_T* size) {
    size_t number = 0;
    ser.primitive(number);
    if (auto* known = ser.unpacked_owner(number))
        return *known;
    if (number != 0)
        serialization_error("shared_ptr owner " + std::to_string(number) + " referenced before it was written");
    std::shared_ptr<PARENT> fresh;
    if constexpr (is_unbounded_array_v<PARENT>) {
        using E = shared_element_t<PARENT>;
        size_t n = 0;
        ser.primitive(n);
        fresh = std::shared_ptr<PARENT>(new E[n]());
        if (size)
            *size = SIZE_T(n);
        // Registered before its contents are read, so a reference back to it inside resolves.
        ser.add_unpacked_owner(fresh, reinterpret_cast<uintptr_t>(fresh.get()));
        for (size_t i = 0; i < n; ++i)
            ser_value(ser, fresh[i]);
    } else {
        fresh = std::shared_ptr<PARENT>(new_object<PARENT>());
        ser.add_unpacked_owner(fresh, reinterpret_cast<uintptr_t>(fresh.get()));
        ser_value(ser, *fresh);
    }
    return {fresh, reinterpret_cast<uintptr_t>(fresh.get())};
}

template <class PTR, class PARENT, class SIZE_T>
void serialize_shared(serializer& ser, std::shared_ptr<PTR>& ptr, const std::shared_ptr<PARENT>& parent, SIZE_T* size) {
    using E = shared_element_t<PTR>;
    if (ser.mode() != serializer::UNPACK) {
        bool empty = !ptr || !parent;
        ser.primitive(empty);
        if (empty)
            return;
        // An unbounded array's count is written with its owner; a later reference to it still
        // needs to report it.
        uintptr_t base = 0;
        bool fresh = false;
        pack_owner(ser, parent, size, base, fresh);
        if constexpr (is_unbounded_array_v<PARENT>) {
            size_t n = size ? *size : 0;
            ser.primitive(n);
        }
        intptr_t offset = reinterpret_cast<intptr_t>(ptr.get()) - intptr_t(base);
        ser.primitive(offset);
        return;
    }
    bool empty = false;
    ser.primitive(empty);
    if (empty) {
        ptr.reset();
        return;
    }
    auto [owner, base] = unpack_owner<PARENT>(ser, size);
    if constexpr (is_unbounded_array_v<PARENT>) {
        size_t n = 0;
        ser.primitive(n);
        if (size)
            *size = SIZE_T(n);
    }
    intptr_t offset = 0;
    ser.primitive(offset);
    ptr = std::shared_ptr<PTR>(owner, reinterpret_cast<E*>(intptr_t(base) + offset));
}

}  // namespace pvt

template <class T>
class serialize_impl<std::shared_ptr<T>> {
public:
    void operator()(std::shared_ptr<T>& ptr, serializer& ser, ser_opt_t) {
        static_assert(!is_unbounded_array_v<T>,
                      "a shared_ptr to T[] needs its size: SST_SER(SST::Core::Serialization::shared_ptr(p, size))");
        pvt::serialize_shared<T, T, size_t>(ser, ptr, ptr, nullptr);
    }
};

template <class T>
class serialize_impl<std::weak_ptr<T>> {
public:
    void operator()(std::weak_ptr<T>& wp, serializer& ser, ser_opt_t) {
        static_assert(!is_unbounded_array_v<T>, "weak_ptr to T[] is not supported");
        // Expired weak_ptrs unpack empty, which is what they are.
        std::shared_ptr<T> locked = wp.lock();
        pvt::serialize_shared<T, T, size_t>(ser, locked, locked, nullptr);
        if (ser.mode() == serializer::UNPACK)
            wp = locked;
    }
};

template <class PTR, class PARENT, class SIZE_T>
class serialize_impl<pvt::shared_ptr_wrapper<PTR, PARENT, SIZE_T>> {
public:
    void operator()(pvt::shared_ptr_wrapper<PTR, PARENT, SIZE_T>& w, serializer& ser, ser_opt_t) {
        using S = std::conditional_t<std::is_void_v<SIZE_T>, size_t, SIZE_T>;
        pvt::serialize_shared<PTR, PARENT, S>(ser, w.ptr, w.parent, reinterpret_cast<S*>(w.size));
    }
};

}  // namespace SST::Core::Serialization

#define SST_SER(obj, ...)                                     \
    SST::Core::Serialization::pvt::sst_ser_object(ser, (obj), \
                                                  SST::Core::Serialization::pvt::sst_ser_or_helper(__VA_ARGS__), #obj)

#define SST_SER_NAME(obj, name, ...)                          \
    SST::Core::Serialization::pvt::sst_ser_object(ser, (obj), \
                                                  SST::Core::Serialization::pvt::sst_ser_or_helper(__VA_ARGS__), name)

#endif
