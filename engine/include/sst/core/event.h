#ifndef SST_CORE_EVENT_H
#define SST_CORE_EVENT_H

#include "sst/core/activity.h"
#include "sst/core/serialization/serializer.h"
#include "sst/core/sst_types.h"
#include "sst/core/ssthandler.h"

#include <cstdint>
#include <string>
#include <utility>

namespace SST {

class Event : public Activity {
public:
    // Receives ownership of the event: the handler deletes it or sends it on.
    using HandlerBase = SSTHandlerBase<void, Event*>;

    // new Event::Handler<C, &C::method>(this)               -> method(Event*)
    // new Event::Handler<C, &C::method, T>(this, data)      -> method(Event*, T)
    template <typename classT, auto funcT, typename dataT = void>
    using Handler = SSTHandler<void, Event*, classT, dataT, funcT>;

    using id_type = std::pair<uint64_t, int>;
    static const id_type NO_ID;

    Event() { setPriority(EVENTPRIORITY); }
    ~Event() override = default;

    // Events that are duplicated (e.g. broadcast) override this; the default is a fatal error.
    virtual Event* clone();

    // The Activity fields, then the delivery target.  The target is the receiving link's handler:
    // an address, meaningful in this process only, like SST's delivery_info tag, which a rank
    // boundary rewrites.
    void serialize_order(SST::Core::Serialization::serializer& ser) override {
        Activity::serialize_order(ser);
        uintptr_t delivery_info = reinterpret_cast<uintptr_t>(delivery_handler_);
        SST_SER(delivery_info);
        delivery_handler_ = reinterpret_cast<HandlerBase*>(delivery_info);
    }
    ImplementVirtualSerializable(SST::Event);

    // ... and the same receiving handler.
    void copyAllDeliveryInfo(const Activity* act) final {
        Activity::copyAllDeliveryInfo(act);
        delivery_handler_ = static_cast<const Event*>(act)->delivery_handler_;
    }

protected:
    // A process-wide unique id; the second member is the rank, always 0 here.
    id_type generateUniqueId();

private:
    friend class Link;
    friend class Core::Engine;
    friend struct Core::ActivityAccess;

    HandlerBase* delivery_handler_ = nullptr;
};

// Where a link or handler tool was attached: the (sub)component that configured the port.
class EventHandlerMetaData : public AttachPointMetaData {
public:
    const ComponentId_t comp_id;
    const std::string comp_name;
    const std::string comp_type;
    const std::string port_name;

    EventHandlerMetaData(ComponentId_t id, const std::string& cname, const std::string& ctype, const std::string& pname)
        : comp_id(id), comp_name(cname), comp_type(ctype), port_name(pname) {}
};

// Payload-free event, for pure notifications.
class EmptyEvent : public Event {
public:
    ImplementSerializable(SST::EmptyEvent);
};

}  // namespace SST

#endif
