#ifndef SST_CORE_MODULE_H
#define SST_CORE_MODULE_H

#include "sst/core/eli/elementinfo.h"
#include "sst/core/params.h"
#include "sst/core/serialization/serializable.h"
#include "sst/core/warnmacros.h"

#include <tuple>

namespace SST {

// A helper object an element loads by name (BaseComponent::loadModule): no ports, clocks or
// statistics of its own.
class Module : public SST::Core::Serialization::serializable {
public:
    using QemuSstEliRegSelf = void;
    using QemuSstEliBaseSelf = void;
    using QemuSstEliBaseParent = void;

    Module() = default;
    virtual ~Module() = default;

    void serialize_order(SST::Core::Serialization::serializer& UNUSED(ser)) override {}
    ImplementVirtualSerializable(SST::Module)
};

namespace Core {

template <class T, class API>
bool registerModuleType(const char* library, const char* name, ElementVersion version, const char* description) {
    using Args = typename API::QemuSstEliApiArgs;
    ComponentDescription d = describeElement<T>(library, name, version, description);
    d.kind = ElementKind::Module;
    d.args_type = &typeid(Args);
    d.create_with_args = [](ComponentId_t, Params& params, void* args) -> void* {
        Module* created =
            std::apply([&](auto&... a) -> Module* { return new T(params, a...); }, *static_cast<Args*>(args));
        return created;
    };
    return registerComponent(std::move(d));
}

}  // namespace Core
}  // namespace SST

// Module constructors take (params, extra args...).
#define SST_ELI_REGISTER_MODULE_API(cls, ...) \
    using QemuSstEliBaseSelf = cls;           \
    using QemuSstEliBaseParent = void;        \
    using QemuSstEliApiArgs = std::tuple<__VA_ARGS__>;

#define SST_ELI_REGISTER_MODULE_DERIVED_API(cls, base, ...) \
    using QemuSstEliBaseSelf = cls;                         \
    using QemuSstEliBaseParent = base;                      \
    using QemuSstEliApiArgs = std::tuple<__VA_ARGS__>;

#define SST_ELI_REGISTER_MODULE(cls, lib, name, version, desc, interface) \
    using QemuSstEliRegSelf = cls;                                        \
    static const char* ELI_getLibrary() { return lib; }                   \
    static const char* ELI_getName() { return name; }                     \
    static inline const bool ELI_registered_ =                            \
        ::SST::Core::registerModuleType<cls, interface>(lib, name, ::SST::Core::ElementVersion version, desc);

#define SST_ELI_REGISTER_MODULE_DERIVED(cls, lib, name, version, desc, interface) \
    SST_ELI_REGISTER_MODULE(cls, lib, name, version, desc, interface)

#endif
