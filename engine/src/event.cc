#include "sst/core/event.h"

#include "fatal_exit.h"

#include <typeinfo>

namespace SST {

const Event::id_type Event::NO_ID{0, -1};

Event* Event::clone() {
    Core::fatalExit(1, std::string("clone() is not implemented for event type ") + typeid(*this).name());
}

Event::id_type Event::generateUniqueId() {
    static uint64_t next_id = 0;
    return {next_id++, 0};
}

}  // namespace SST
