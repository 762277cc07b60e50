// The base of classes serialized through a base-class pointer (events, handlers, ...), and the
// class factory that rebuilds the right derived class when such a pointer is unpacked.
#ifndef SST_CORE_SERIALIZATION_SERIALIZABLE_BASE_H
#define SST_CORE_SERIALIZATION_SERIALIZABLE_BASE_H

#include "sst/core/warnmacros.h"

#include <cstdint>
#include <limits>
#include <string>
#include <typeinfo>

namespace SST::Core::Serialization {

class serializer;

class serializable_base {
public:
    static constexpr uint32_t NullClsId = std::numeric_limits<uint32_t>::max();

    virtual ~serializable_base() = default;

    virtual const char* cls_name() const = 0;
    virtual void serialize_order(serializer& ser) = 0;
    // Identifies the dynamic class in a buffer; the factory builds an object from it.
    virtual uint32_t cls_id() const = 0;
    virtual std::string serialization_name() const = 0;

protected:
    enum cxn_flag_t { ConstructorFlag };
    [[noreturn]] static void serializable_abort(uint32_t line, const char* file, const char* func, const char* obj);
};

// What elements derive from.
class serializable : public serializable_base {
public:
    static constexpr uint32_t NullClsId = std::numeric_limits<uint32_t>::max();
    ~serializable() override = default;
};

template <class T>
class serializable_type {};

// Builds a default-constructed object of one registered class.
class serializable_builder {
public:
    virtual ~serializable_builder() = default;
    virtual serializable_base* build() const = 0;
    virtual const char* name() const = 0;
    virtual uint32_t cls_id() const = 0;
    virtual bool sanity(serializable_base* ser) = 0;
};

// One registry for the process (it lives in the engine library, so element libraries share it).
// Classes are keyed by a hash of their mangled name, identical in every library that uses them.
class serializable_factory {
public:
    // Registers `builder` (keeping the first one when the same class registers from several
    // libraries) and returns the class id; two different names with one id end the run.
    static uint32_t add_builder(serializable_builder* builder, const char* name);
    // A new object of class `cls_id`; an unknown id ends the run.
    static serializable_base* get_serializable(uint32_t cls_id);
    static bool sanity(serializable_base* ser, uint32_t cls_id);
    static void delete_statics() {}
};

template <class T>
class serializable_builder_impl : public serializable_builder {
public:
    serializable_base* build() const override { return T::construct_deserialize_stub(); }
    const char* name() const override { return static_name(); }
    uint32_t cls_id() const override { return cls_id_; }
    bool sanity(serializable_base* ser) override { return typeid(T) == typeid(*ser); }

    static uint32_t static_cls_id() { return cls_id_; }
    static const char* static_name() { return typeid(T).name(); }

private:
    // Initialised when the library holding the class is loaded, which registers the class.
    static const uint32_t cls_id_;
};

template <class T>
const uint32_t serializable_builder_impl<T>::cls_id_ =
    serializable_factory::add_builder(new serializable_builder_impl<T>, typeid(T).name());

}  // namespace SST::Core::Serialization

// For a class serialized only through its subclasses (abstract, or never unpacked itself).
#define ImplementVirtualSerializable(obj)                                                                          \
public:                                                                                                            \
    [[noreturn]] static void throw_exc() {                                                                         \
        ::SST::Core::Serialization::serializable_base::serializable_abort(__LINE__, __FILE__, __FUNCTION__, #obj); \
    }                                                                                                              \
    const char* cls_name() const override { return #obj; }                                                         \
    uint32_t cls_id() const override { throw_exc(); }                                                              \
    std::string serialization_name() const override { throw_exc(); }

// For a class that derives from a serializable one but must never be serialized.
#define NotSerializable(obj)                                                                                       \
public:                                                                                                            \
    [[noreturn]] static void throw_exc() {                                                                         \
        ::SST::Core::Serialization::serializable_base::serializable_abort(__LINE__, __FILE__, __FUNCTION__, #obj); \
    }                                                                                                              \
    void serialize_order(SST::Core::Serialization::serializer& UNUSED(ser)) override { throw_exc(); }              \
    uint32_t cls_id() const override { throw_exc(); }                                                              \
    static obj* construct_deserialize_stub() { throw_exc(); }                                                      \
    std::string serialization_name() const override { throw_exc(); }                                               \
    const char* cls_name() const override { return #obj; }

// For a concrete class unpacked through a base pointer.  Variadic so a template name with commas
// (SharedMap<K, V>) needs no extra parentheses.  Needs a default constructor (may be private).
#define ImplementSerializable(...)                                                                  \
public:                                                                                             \
    const char* cls_name() const override {                                                         \
        return ::SST::Core::Serialization::serializable_builder_impl<__VA_ARGS__>::static_name();   \
    }                                                                                               \
    uint32_t cls_id() const override {                                                              \
        return ::SST::Core::Serialization::serializable_builder_impl<__VA_ARGS__>::static_cls_id(); \
    }                                                                                               \
    static __VA_ARGS__* construct_deserialize_stub() { return new __VA_ARGS__; }                    \
    std::string serialization_name() const override { return #__VA_ARGS__; }                        \
    static bool you_forgot_to_add_ImplementSerializable_to_this_class() { return false; }

#define SerializableName(obj) #obj
#define DeclareSerializable(obj)

// After the definitions: serializer.h pulls in serialize.h, which needs them complete.
#include "sst/core/serialization/serializer.h"

#endif
