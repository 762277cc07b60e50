#ifndef SST_CORE_SSTHANDLER_H
#define SST_CORE_SSTHANDLER_H

#include "sst/core/sst_types.h"

namespace SST {

// Callback interface the engine stores for links and clocks.  One virtual call per dispatch;
// the concrete SSTHandler below binds the member function at compile time so that call lands
// directly in the component's method.
template <typename returnT, typename argT>
class SSTHandlerBase {
public:
    virtual ~SSTHandlerBase() = default;
    returnT operator()(argT arg) { return operator_impl(arg); }

protected:
    virtual returnT operator_impl(argT arg) = 0;
};

template <typename returnT>
class SSTHandlerBase<returnT, void> {
public:
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

private:
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

private:
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

private:
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

private:
    returnT operator_impl() override { return (object_->*funcT)(); }

    classT* object_;
};

}  // namespace SST

#endif
