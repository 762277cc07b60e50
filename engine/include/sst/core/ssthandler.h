#ifndef SST_CORE_SSTHANDLER_H
#define SST_CORE_SSTHANDLER_H

#include "sst/core/serialization/serializable.h"
#include "sst/core/sst_types.h"

#include <type_traits>
#include <cstdint>

namespace SST::Core::Serialization {
class serializer;
}

namespace SST {

namespace Core::Serialization::pvt {
// A handler's bound object or data.  Objects the serializer can rebuild (serializable classes,
// default-constructible classes with serialize_order, plain values) are serialized; a pointer to
// anything else, e.g. a component (components are not serializable objects in this engine), is
// kept as its address, meaningful in this process only.
template <class T>
void ser_handler_member(serializer& ser, T& member) {
    if constexpr (std::is_pointer_v<T>) {
        using U = std::remove_cv_t<std::remove_pointer_t<T>>;
        if constexpr (std::is_base_of_v<serializable_base, U> ||
                      (has_serialize_order_v<U> && std::is_default_constructible_v<U>) ||
                      is_trivially_serializable_v<U>) {
            SST_SER(member);
        } else {
            uintptr_t address = reinterpret_cast<uintptr_t>(member);
            SST_SER(address);
            member = reinterpret_cast<T>(address);
        }
    } else if constexpr (std::is_trivially_copyable_v<T> && !is_trivially_serializable_v<T> &&
                         !has_serialize_order_v<T> && !std::is_aggregate_v<T>) {
        ser.primitive(member);
    } else {
        SST_SER(member);
    }
}
}  // namespace Core::Serialization::pvt

// Callback interface the engine stores for links and clocks.  One virtual call per dispatch;
// the concrete SSTHandler below binds the member function at compile time so that call lands
// directly in the component's method.
template <typename returnT, typename argT>
class SSTHandlerBase : public SST::Core::Serialization::serializable {
public:
    void serialize_order(SST::Core::Serialization::serializer&) override {}
    ImplementVirtualSerializable(SSTHandlerBase);
    // A tool that sees (and may change, replace or cancel) the argument before the handler runs;
    // PortModules installed on receive are these.  The engine calls them, in the order they were
    // installed, only for handlers that have any.
    class InterceptPoint {
    public:
        virtual ~InterceptPoint() = default;
        // Called once when attached; the result is passed back as key.
        virtual uintptr_t registerHandlerIntercept(const AttachPointMetaData& mdata) = 0;
        // cancel = true: the handler is not called (and the tool has disposed of data).
        virtual void interceptHandler(uintptr_t key, argT& data, bool& cancel) = 0;
        // Checkpointing only; never called by this engine.
        virtual void serializeHandlerInterceptPointKey(SST::Core::Serialization::serializer&, uintptr_t&) {}
    };

    virtual ~SSTHandlerBase() = default;
    returnT operator()(argT arg) { return operator_impl(arg); }

protected:
    virtual returnT operator_impl(argT arg) = 0;
};

template <typename returnT>
class SSTHandlerBase<returnT, void> : public SST::Core::Serialization::serializable {
public:
    void serialize_order(SST::Core::Serialization::serializer&) override {}
    ImplementVirtualSerializable(SSTHandlerBase);

    virtual ~SSTHandlerBase() = default;
    returnT operator()() { return operator_impl(); }

protected:
    virtual returnT operator_impl() = 0;
};

// Primary template: only the member-function-pointer shapes specialised below are valid.
template <typename returnT, typename argT, typename classT, typename dataT, auto funcT>
class SSTHandler : public SSTHandlerBase<returnT, argT> {
    static_assert(sizeof(classT) == 0, "handler method signature does not match the handler type");
};

// obj->method(arg, data)
template <typename returnT, typename argT, typename classT, typename dataT, returnT (classT::*funcT)(argT, dataT)>
class SSTHandler<returnT, argT, classT, dataT, funcT> final : public SSTHandlerBase<returnT, argT> {
public:
    SSTHandler(classT* const object, dataT data) : object_(object), data_(data) {}
    SSTHandler(const SSTHandler&) = delete;
    SSTHandler& operator=(const SSTHandler&) = delete;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        SST::Core::Serialization::pvt::ser_handler_member(ser, object_);
        SST::Core::Serialization::pvt::ser_handler_member(ser, data_);
    }
    ImplementSerializable(SSTHandler);

private:
    // For the class factory, which fills it in with serialize_order().
    SSTHandler() = default;
    returnT operator_impl(argT arg) override { return (object_->*funcT)(arg, data_); }

    classT* object_;
    dataT data_;
};

// obj->method(arg)
template <typename returnT, typename argT, typename classT, returnT (classT::*funcT)(argT)>
class SSTHandler<returnT, argT, classT, void, funcT> final : public SSTHandlerBase<returnT, argT> {
public:
    explicit SSTHandler(classT* const object) : object_(object) {}
    SSTHandler(const SSTHandler&) = delete;
    SSTHandler& operator=(const SSTHandler&) = delete;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        SST::Core::Serialization::pvt::ser_handler_member(ser, object_);
    }
    ImplementSerializable(SSTHandler);

private:
    // For the class factory, which fills it in with serialize_order().
    SSTHandler() = default;
    returnT operator_impl(argT arg) override { return (object_->*funcT)(arg); }

    classT* object_;
};

// obj->method(data)
template <typename returnT, typename classT, typename dataT, returnT (classT::*funcT)(dataT)>
class SSTHandler<returnT, void, classT, dataT, funcT> final : public SSTHandlerBase<returnT, void> {
public:
    SSTHandler(classT* const object, dataT data) : object_(object), data_(data) {}
    SSTHandler(const SSTHandler&) = delete;
    SSTHandler& operator=(const SSTHandler&) = delete;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        SST::Core::Serialization::pvt::ser_handler_member(ser, object_);
        SST::Core::Serialization::pvt::ser_handler_member(ser, data_);
    }
    ImplementSerializable(SSTHandler);

private:
    // For the class factory, which fills it in with serialize_order().
    SSTHandler() = default;
    returnT operator_impl() override { return (object_->*funcT)(data_); }

    classT* object_;
    dataT data_;
};

// obj->method()
template <typename returnT, typename classT, returnT (classT::*funcT)()>
class SSTHandler<returnT, void, classT, void, funcT> final : public SSTHandlerBase<returnT, void> {
public:
    explicit SSTHandler(classT* const object) : object_(object) {}
    SSTHandler(const SSTHandler&) = delete;
    SSTHandler& operator=(const SSTHandler&) = delete;

    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        SST::Core::Serialization::pvt::ser_handler_member(ser, object_);
    }
    ImplementSerializable(SSTHandler);

private:
    // For the class factory, which fills it in with serialize_order().
    SSTHandler() = default;
    returnT operator_impl() override { return (object_->*funcT)(); }

    classT* object_;
};

}  // namespace SST

#endif
