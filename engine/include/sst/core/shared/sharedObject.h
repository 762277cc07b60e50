// SST 16's shared objects (SharedArray, SharedMap, SharedSet): data that every element instance
// naming the same object sees once, written during construction and init and read-only from
// setup() on.  This engine is one process, so an object's data exists once and writes are
// visible at once; what the core still does between phases is recount who has published
// (isFullyPublished) and, before setup(), lock everything against further writes.
#ifndef SST_CORE_SHARED_SHAREDOBJECT_H
#define SST_CORE_SHARED_SHAREDOBJECT_H

#include "sst/core/output.h"
#include "sst/core/serialization/serializable.h"
#include "sst/core/sst_types.h"
#include "sst/core/warnmacros.h"

#include <cstddef>
#include <map>
#include <memory>
#include <string>

namespace SST::Shared {

using namespace SST::Core::Serialization;

class SharedObjectDataManager;

namespace Private {
Output& getSimulationOutput();
// The running simulation's shared objects (fatal when no simulation is being built or run).
SharedObjectDataManager& getManager();
}  // namespace Private

// The one copy of a named shared object's data, owned by the simulation's manager.
class SharedObjectData {
public:
    virtual ~SharedObjectData() = default;
    SharedObjectData(const SharedObjectData&) = delete;
    SharedObjectData& operator=(const SharedObjectData&) = delete;

    const std::string& getName() const { return name; }
    // Whether every instance had called publish() when the core last counted (before each init
    // phase); always true from setup() on.
    bool isFullyPublished() const { return fully_published; }
    virtual int getShareCount() const { return share_count; }
    virtual int getPublishCount() const { return publish_count; }

protected:
    friend class SharedObjectDataManager;
    friend class SharedObject;

    explicit SharedObjectData(const std::string& obj_name) : name(obj_name) {}

    void check_lock_for_write(const std::string& obj_kind) const {
        if (locked)
            Private::getSimulationOutput().fatal(CALL_INFO_LONG, 1,
                                                 "ERROR: attempt to write to %s %s after init phase\n",
                                                 obj_kind.c_str(), name.c_str());
    }

    // Returns the number of instances that had initialized before this one.
    virtual int incShareCount() { return share_count++; }
    virtual void incPublishCount() { ++publish_count; }

    std::string name;
    int share_count = 0;
    int publish_count = 0;
    bool fully_published = false;
    bool locked = false;
};

// One simulation's shared objects by name.  The engine calls updateState() before each init
// phase and updateState(true) before setup().
class SharedObjectDataManager {
public:
    SharedObjectDataManager() = default;
    SharedObjectDataManager(const SharedObjectDataManager&) = delete;
    SharedObjectDataManager& operator=(const SharedObjectDataManager&) = delete;

    // The data named `name`, created on first use; every user must ask for the same type.
    template <typename T>
    T* getSharedObjectData(const std::string& name) {
        if (locked_)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "Attempting to initialize SharedObject %s after the init() phase\n", name.c_str());
        auto it = shared_data_.find(name);
        if (it == shared_data_.end()) {
            T* created = new T(name);
            shared_data_.emplace(name, std::unique_ptr<SharedObjectData>(created));
            return created;
        }
        T* existing = dynamic_cast<T*>(it->second.get());
        if (existing == nullptr)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "ERROR: Shared object %s requested with two different types\n", name.c_str());
        return existing;
    }

    // Recounts publication; with finalize, also locks all data (writes and new objects become
    // fatal) and declares everything published.
    void updateState(bool finalize) {
        for (auto& [name, data] : shared_data_) {
            data->fully_published = finalize || data->getPublishCount() == data->getShareCount();
            if (finalize)
                data->locked = true;
        }
        if (finalize)
            locked_ = true;
    }

private:
    std::map<std::string, std::unique_ptr<SharedObjectData>> shared_data_;
    bool locked_ = false;
};

// Base of the element-side handles.  A handle is bound to its data by initialize() and may be
// copied; the data lives as long as the simulation.
class SharedObject : public serializable {
public:
    // How conflicting writes of the same entry are checked: FE_VERIFY compares with any earlier
    // write, INIT_VERIFY with an entry that no longer holds the initial value, NO_VERIFY never.
    // VERIFY_UNINITIALIZED is reserved.
    enum verify_type { VERIFY_UNINITIALIZED, FE_VERIFY, INIT_VERIFY, NO_VERIFY };

    SharedObject() = default;
    ~SharedObject() override = default;

    void serialize_order(serializer& UNUSED(ser)) override {}
    ImplementVirtualSerializable(SST::Shared::SharedObject);

protected:
    void incPublishCount(SharedObjectData* data) { data->incPublishCount(); }
    int incShareCount(SharedObjectData* data) { return data->incShareCount(); }

    template <typename T>
    static T* getSharedObjectData(const std::string& name) {
        return Private::getManager().getSharedObjectData<T>(name);
    }
};

}  // namespace SST::Shared

#endif
