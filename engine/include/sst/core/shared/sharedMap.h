#ifndef SST_CORE_SHARED_SHAREDMAP_H
#define SST_CORE_SHARED_SHAREDMAP_H

#include "sst/core/shared/sharedObject.h"
#include "sst/core/sst_types.h"

#include <cstddef>
#include <map>
#include <string>
#include <type_traits>

namespace SST::Shared {

// A map shared by name.  A key is written once: unless the verify type is NO_VERIFY, writing it
// again with a different value is fatal; with NO_VERIFY the first value stays.
template <typename keyT, typename valT>
class SharedMap : public SharedObject {
    static_assert(!std::is_pointer_v<valT>, "Cannot use a pointer type as value with SharedMap");

    class Data;

public:
    using const_iterator = typename std::map<keyT, valT>::const_iterator;
    using const_reverse_iterator = typename std::map<keyT, valT>::const_reverse_iterator;

    SharedMap() = default;

    // Binds this instance to the map `obj_name`; all instances must give the same v_type.
    // Returns how many instances had initialized the map before this one.
    int initialize(const std::string& obj_name, verify_type v_type = FE_VERIFY) {
        if (data_)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "ERROR: called initialize() of SharedMap %s more than once\n", obj_name.c_str());
        data_ = getSharedObjectData<Data>(obj_name);
        const int before = incShareCount(data_);
        data_->setVerify(v_type);
        return before;
    }

    size_t size() const { return data_->map.size(); }
    bool empty() const { return data_->map.empty(); }
    size_t count(const keyT& key) const { return data_->map.count(key); }
    const_iterator find(const keyT& key) const { return data_->map.find(key); }
    const_iterator begin() const { return data_->map.cbegin(); }
    const_iterator end() const { return data_->map.cend(); }
    const_reverse_iterator rbegin() const { return data_->map.crbegin(); }
    const_reverse_iterator rend() const { return data_->map.crend(); }
    const_iterator lower_bound(const keyT& key) const { return data_->map.lower_bound(key); }
    const_iterator upper_bound(const keyT& key) const { return data_->map.upper_bound(key); }

    // This instance has written all it will; later writes through it are fatal.
    void publish() {
        if (published_)
            return;
        published_ = true;
        incPublishCount(data_);
    }

    bool isFullyPublished() const { return data_->isFullyPublished(); }

    void write(const keyT& key, const valT& value) {
        if (published_)
            Private::getSimulationOutput().fatal(
                CALL_INFO, 1, "ERROR: write to SharedMap %s after publish() was called\n", data_->getName().c_str());
        data_->write(key, value);
    }

    // Throws std::out_of_range for a key not in the map.
    const valT& operator[](const keyT& key) const { return data_->map.at(key); }
    const valT& mutex_read(const keyT& key) const { return data_->map.at(key); }

    void serialize_order(serializer& ser) override { SharedObject::serialize_order(ser); }

private:
    class Data : public SharedObjectData {
    public:
        explicit Data(const std::string& obj_name) : SharedObjectData(obj_name) {}

        void setVerify(verify_type v_type) {
            if (verify != VERIFY_UNINITIALIZED && v_type != verify)
                Private::getSimulationOutput().fatal(
                    CALL_INFO, 1, "ERROR: Two different verify_types specified for SharedMap %s\n", name.c_str());
            verify = v_type;
        }

        void write(const keyT& key, const valT& value) {
            check_lock_for_write("SharedMap");
            auto [it, inserted] = map.emplace(key, value);
            if (!inserted && verify != NO_VERIFY && value != it->second)
                Private::getSimulationOutput().fatal(
                    CALL_INFO, 1, "ERROR: wrote two different values to same key in SharedMap %s\n", name.c_str());
        }

        std::map<keyT, valT> map;
        verify_type verify = VERIFY_UNINITIALIZED;
    };

    bool published_ = false;
    Data* data_ = nullptr;
};

}  // namespace SST::Shared

#endif
