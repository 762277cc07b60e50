// Type traits the serializer dispatches on (SST 16 offers them under this name too).
#ifndef SST_CORE_SERIALIZATION_IMPL_SERIALIZE_UTILITY_H
#define SST_CORE_SERIALIZATION_IMPL_SERIALIZE_UTILITY_H

#include <bitset>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace SST::Core::Serialization {

class serializer;
class serializable_base;

// Whether T is an instance of the class template TT (type parameters only).
template <class T, template <class...> class TT>
constexpr bool is_same_type_template_v = false;
template <template <class...> class TT, class... Args>
constexpr bool is_same_type_template_v<TT<Args...>, TT> = true;
template <class T, template <class...> class TT>
using is_same_type_template = std::bool_constant<is_same_type_template_v<T, TT>>;

template <template <class...> class, template <class...> class>
constexpr bool is_same_template_v = false;
template <template <class...> class T>
constexpr bool is_same_template_v<T, T> = true;

using std::is_unbounded_array;
using std::is_unbounded_array_v;

// A class describes its own data: it derives from serializable_base or has a public
// serialize_order(serializer&).
template <class T>
concept has_serialize_order_member = requires(T& t, serializer& ser) {
    t.serialize_order(ser);
};
template <class T>
constexpr bool has_serialize_order_v = std::is_base_of_v<serializable_base, T> || has_serialize_order_member<T>;
template <class T>
using has_serialize_order = std::bool_constant<has_serialize_order_v<T>>;

// The number of fields of an aggregate: the largest N for which C{x1, ..., xN} compiles with
// arguments convertible to anything.  (Nested arrays defeat this, as they do in SST.)
namespace pvt_nfields {
struct any_field {
    template <class T>
    operator T() const;
};
template <class C, size_t... I>
constexpr bool constructible_with(std::index_sequence<I...>) {
    return requires { C{(void(I), any_field{})...}; };
}
template <class C, size_t N = 0>
constexpr size_t count() {
    if constexpr (N > 64)
        return 0;
    else if constexpr (constructible_with<C>(std::make_index_sequence<N + 1>{}))
        return count<C, N + 1>();
    else
        return N;
}
}  // namespace pvt_nfields

template <class C>
constexpr size_t nfields = std::is_aggregate_v<C> ? pvt_nfields::count<C>() : 0;

// Values whose bytes are their whole state.
template <class T>
constexpr bool is_trivially_serializable_v =
    std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_member_object_pointer_v<T> || std::is_null_pointer_v<T>;
template <size_t N>
constexpr bool is_trivially_serializable_v<std::bitset<N>> = true;
template <class T>
constexpr bool is_trivially_serializable_v<std::complex<T>> = true;
#ifdef __SIZEOF_INT128__
template <>
inline constexpr bool is_trivially_serializable_v<__int128> = true;
template <>
inline constexpr bool is_trivially_serializable_v<unsigned __int128> = true;
#endif
template <class T>
using is_trivially_serializable = std::bool_constant<is_trivially_serializable_v<T>>;

}  // namespace SST::Core::Serialization

#endif
