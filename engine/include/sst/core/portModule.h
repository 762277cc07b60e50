#ifndef SST_CORE_PORTMODULE_H
#define SST_CORE_PORTMODULE_H

#include "sst/core/eli/elementinfo.h"
#include "sst/core/event.h"
#include "sst/core/link.h"
#include "sst/core/output.h"
#include "sst/core/params.h"
#include "sst/core/serialization/serializable.h"
#include "sst/core/serialization/serializer.h"
#include "sst/core/sst_types.h"
#include "sst/core/statapi/statbase.h"
#include "sst/core/statapi/statfactory.h"
#include "sst/core/statapi/statnull.h"
#include "sst/core/timeConverter.h"
#include "sst/core/unitAlgebra.h"
#include "sst/core/warnmacros.h"

#include <cstdarg>
#include <cstdint>
#include <string>
#include <utility>

// As in SST, element code names statistics without the namespace.
using namespace SST::Statistics;

namespace SST {

class BaseComponent;
namespace Core {
struct ConfigPortModule;
struct ComponentDescription;
}  // namespace Core

// A module the configuration installs on a port (comp.addPortModule(port, type, params)).  It
// sees the events sent from the port (installOnSend: eventSent) and/or delivered to it
// (installOnReceive: interceptHandler) and may change, replace or drop them.  Several modules
// on one port run in the order the configuration added them.  The module belongs to the
// (sub)component that configures the port, and goes with the port when it is shared
// (SHARE_PORTS).
class PortModule : public Event::HandlerBase::InterceptPoint,
                   public Link::AttachPoint,
                   public SST::Core::Serialization::serializable {
public:
    using QemuSstEliRegSelf = void;
    using QemuSstEliBaseSelf = PortModule;
    using QemuSstEliBaseParent = void;

    // Built by the engine while it configures the port; a module built any other way (SST's
    // checkpoint restart constructor) is unattached and unusable.
    PortModule();
    ~PortModule() override = default;

    // Link::AttachPoint (send side).  ev = nullptr drops the event (the module deletes it); a
    // replacement must copyAllDeliveryInfo(ev) from the original.
    uintptr_t registerLinkAttachTool(const AttachPointMetaData& mdata) override;
    void eventSent(uintptr_t key, Event*& ev) override = 0;
    void serializeEventAttachPointKey(SST::Core::Serialization::serializer& ser, uintptr_t& key) override;

    // InterceptPoint (receive side).  cancel = true: the handler does not get the event (the
    // module deletes it).
    uintptr_t registerHandlerIntercept(const AttachPointMetaData& mdata) override;
    void interceptHandler(uintptr_t key, Event*& data, bool& cancel) override = 0;
    void serializeHandlerInterceptPointKey(SST::Core::Serialization::serializer& ser, uintptr_t& key) override;

    virtual bool installOnReceive() { return false; }
    // Send-side modules put every send of the port on the slow path; prefer receive.
    virtual bool installOnSend() { return false; }

    // component.port.index
    const std::string& getName() const { return name_; }

    ImplementVirtualSerializable(SST::PortModule);

protected:
    void serialize_order(SST::Core::Serialization::serializer& ser) override;

    UnitAlgebra getCoreTimeBase() const;
    SimTime_t getCurrentSimCycle() const;
    int getCurrentPriority() const;
    UnitAlgebra getElapsedSimTime() const;
    Output& getSimulationOutput() const;
    [[deprecated("Use of shared TimeConverter objects is deprecated. Use 'getCurrentSimTime(TimeConverter& "
                 "timebase)' (i.e., no pointer) instead.")]] SimTime_t
    getCurrentSimTime(TimeConverter* tc) const;
    SimTime_t getCurrentSimTime(TimeConverter& tc) const;
    SimTime_t getCurrentSimTime(const std::string& base) const;
    SimTime_t getCurrentSimTimeNano() const;
    SimTime_t getCurrentSimTimeMicro() const;
    SimTime_t getCurrentSimTimeMilli() const;

    [[noreturn]] void fatal(uint32_t line, const char* file, const char* func, int exit_code, const char* format,
                            ...) const __attribute__((format(printf, 6, 7)));
    void sst_assert(bool condition, uint32_t line, const char* file, const char* func, int exit_code,
                    const char* format, ...) const __attribute__((format(printf, 7, 8)));

    // A NullStatistic unless enabled: by name on this module, or when the statistic's ELI level
    // is within the module's load level (the program-wide one when the module sets none).  The
    // statistic is named component.port.index.stat.  The engine owns it.
    template <typename T>
    Statistics::Statistic<T>* registerStatistic(SST::Params& params, const std::string& stat_name,
                                                const std::string& stat_sub_id = "") {
        const Params* enabled = statisticEnableParams(stat_name);
        Params merged = params;
        Statistics::Statistic<T>* stat = nullptr;
        if (enabled == nullptr) {
            stat = new Statistics::NullStatistic<T>(component_, stat_name, stat_sub_id, merged);
        } else {
            merged.insert(*enabled, true);  // the configuration's settings win
            const std::string type = merged.find<std::string>("type", "sst.AccumulatorStatistic");
            stat = Statistics::createBuiltinStatistic<T>(type, component_, stat_name, stat_sub_id, merged);
            if (stat == nullptr)
                fatal(CALL_INFO, 1, "statistic '%s': unknown statistic type '%s' for this data type (known: %s)\n",
                      stat_name.c_str(), type.c_str(), Statistics::kBuiltinStatisticTypes);
        }
        stat->setPortModName(id_.first, id_.second);
        adoptStatistic(stat, merged);
        return stat;
    }

    template <typename T>
    Statistics::Statistic<T>* registerStatistic(const std::string& stat_name, const std::string& stat_sub_id = "") {
        SST::Params empty;
        return registerStatistic<T>(empty, stat_name, stat_sub_id);
    }

    // SST_ELI_REGISTER_PORTMODULE defines this as "library.name".
    virtual std::string getEliType() const { return ""; }

private:
    [[noreturn]] void vfatal(int exit_code, const char* format, va_list args) const;
    // The enable parameters, or nullptr when not enabled; fatal for a statistic not in the ELI.
    const Params* statisticEnableParams(const std::string& stat_name) const;
    void adoptStatistic(Statistics::StatisticBase* stat, const Params& stat_params);
    void requireAttached(const char* api) const;

    BaseComponent* component_ = nullptr;
    PortModuleId_t id_;
    std::string name_;
    const Core::ConfigPortModule* config_ = nullptr;
    const Core::ComponentDescription* description_ = nullptr;
};

namespace Core {

// Runs during static initialization of the library that contains T.
template <class T>
bool registerPortModuleType(const char* library, const char* name, ElementVersion version, const char* description) {
    ComponentDescription d = describeElement<T>(library, name, version, description);
    d.kind = ElementKind::PortModule;
    d.create_with_args = [](ComponentId_t, Params& params, void*) -> void* {
        return static_cast<PortModule*>(new T(params));
    };
    return registerComponent(std::move(d));
}

}  // namespace Core
}  // namespace SST

// Port module constructors take (Params&).
#define SST_ELI_REGISTER_PORTMODULE(cls, lib, name, version, desc)                                      \
    using QemuSstEliRegSelf = cls;                                                                      \
    static const char* ELI_getLibrary() { return lib; }                                                 \
    static const char* ELI_getName() { return name; }                                                   \
    static inline const bool ELI_registered_ =                                                          \
        ::SST::Core::registerPortModuleType<cls>(lib, name, ::SST::Core::ElementVersion version, desc); \
    std::string getEliType() const override { return std::string(lib) + "." + name; }

#endif
